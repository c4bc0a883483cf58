package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class SourceMetricsTest {

  private static double value(SourceMetrics metrics, String name) {
    MetricName key =
        metrics
            .registry()
            .metricName(name, "source-task-metrics", "", Map.of("connector", "m", "task", "2"));
    return ((Number) metrics.registry().metric(key).metricValue()).doubleValue();
  }

  @Test
  void shouldTellWhenTheLastSuccessfulSyncEndedAndCountAdoptions() {
    try (SourceMetrics metrics = new SourceMetrics("m", 2)) {
      assertThat(value(metrics, "last-successful-sync-time")).isZero();
      long before = System.currentTimeMillis();

      metrics.syncCompleted(Duration.ofMillis(40));
      metrics.stateKeysAdopted(3);

      assertThat(value(metrics, "last-successful-sync-time"))
          .isBetween((double) before, (double) System.currentTimeMillis());
      assertThat(value(metrics, "syncs-completed-total")).isEqualTo(1.0);
      assertThat(value(metrics, "state-keys-adopted-total")).isEqualTo(3.0);
    }
  }
}
