package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class SinkMetricsTest {

  private static double value(
      SinkMetrics metrics, String name, String group, Map<String, String> tags) {
    MetricName key = metrics.registry().metricName(name, group, "", tags);
    return (double) metrics.registry().metric(key).metricValue();
  }

  @Test
  void shouldCountFlushesRowsPerTableAndDlqRecordsUnderTheCloudQueryDomain() throws Exception {
    try (SinkMetrics metrics = new SinkMetrics("m-test", 4)) {
      metrics.flushed(12, Map.of("items", 3L));
      metrics.flushed(30, Map.of("items", 2L, "other", 1L));
      metrics.staleDeleted(2);
      metrics.sentToDlq();
      metrics.tombstoneSkipped("other");
      metrics.tombstoneSkipped("other");

      Map<String, String> task = Map.of("connector", "m-test", "task", "4");
      assertThat(value(metrics, "flushes-total", "sink-task-metrics", task)).isEqualTo(2.0);
      assertThat(value(metrics, "flush-latency-ms-max", "sink-task-metrics", task)).isEqualTo(30.0);
      assertThat(value(metrics, "flush-latency-ms-avg", "sink-task-metrics", task)).isEqualTo(21.0);
      assertThat(value(metrics, "delete-stale-total", "sink-task-metrics", task)).isEqualTo(2.0);
      assertThat(value(metrics, "dlq-records-total", "sink-task-metrics", task)).isEqualTo(1.0);
      assertThat(
              value(
                  metrics,
                  "tombstones-skipped-total",
                  "sink-table-metrics",
                  Map.of("connector", "m-test", "task", "4", "table", "other")))
          .isEqualTo(2.0);
      assertThat(
              value(
                  metrics,
                  "rows-written-total",
                  "sink-table-metrics",
                  Map.of("connector", "m-test", "task", "4", "table", "items")))
          .isEqualTo(5.0);
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      assertThat(
              server.isRegistered(
                  new ObjectName(
                      "kafka.connect.cloudquery:type=sink-table-metrics,connector=m-test,task=4,table=other")))
          .isTrue();
    }
  }
}
