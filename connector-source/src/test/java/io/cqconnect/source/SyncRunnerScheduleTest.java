package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sync thread's first sync honours the last committed sync's start: within the interval it
 * waits (without starting the plugin) and publishes when it will sync; past it, it syncs at once.
 */
@Timeout(60)
class SyncRunnerScheduleTest {

  private static final Duration HOUR = Duration.ofHours(1);

  private static SyncSettings hourly() {
    return SyncRunnerRetryTest.settings("", HOUR, FullRefresh.NEVER);
  }

  private static long nextSync(SourceMetrics metrics) {
    MetricName name =
        metrics
            .registry()
            .metricName(
                "next-sync-time",
                "source-task-metrics",
                "",
                Map.of("connector", "schedule-test", "task", "0"));
    return ((Number) metrics.registry().metric(name).metricValue()).longValue();
  }

  /** Runs the sync thread from {@code lastStart} until it plans a sync; returns the plan. */
  private static Run runUntilPlanned(Instant lastStart) throws Exception {
    LinkedBlockingQueue<SyncEvent> queue = new SyncRunnerRetryTest.CommittingQueue();
    try (FakeSourcePlugin plugin = new FakeSourcePlugin(List.of(), Status.OK);
        SourceMetrics metrics = new SourceMetrics("schedule-test", 0)) {
      SyncRunner runner =
          new SyncRunner(
                  hourly(),
                  plugin::open,
                  capture -> null,
                  null,
                  new CursorState(),
                  queue,
                  metrics,
                  Clock.systemUTC())
              .startAfter(lastStart);
      Thread thread = new Thread(runner, "schedule-test-sync");
      thread.start();
      while (nextSync(metrics) == 0 && thread.isAlive()) {
        Thread.sleep(5); // polls what the thread publishes; nothing here is timed
      }
      long planned = nextSync(metrics);
      runner.stop();
      thread.interrupt();
      thread.join();
      return new Run(
          Instant.ofEpochMilli(planned), plugin.opened(), List.copyOf(queue), nextSync(metrics));
    }
  }

  private record Run(Instant planned, int opened, List<SyncEvent> events, long afterStop) {}

  @Test
  void shouldWaitForTheRestOfTheIntervalWithoutStartingThePluginWhenRestartedWithinIt()
      throws Exception {
    Instant lastStart = Instant.now().minus(Duration.ofMinutes(10));

    Run run = runUntilPlanned(lastStart);

    assertThat(run.planned()).isEqualTo(lastStart.plus(HOUR).truncatedTo(ChronoUnit.MILLIS));
    assertThat(run.opened()).as("plugin processes started").isZero();
    assertThat(run.events()).as("no sync started").isEmpty();
    assertThat(run.afterStop()).as("no sync planned once stopped").isZero();
  }

  @Test
  void shouldSyncAtOnceWhenTheIntervalPassedSinceTheLastStart() throws Exception {
    Instant before = Instant.now();

    Run run = runUntilPlanned(before.minus(Duration.ofHours(2)));

    assertThat(run.opened()).isEqualTo(1);
    assertThat(run.events())
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Started", "Ended");
    Instant started = ((SyncEvent.Ended) run.events().get(1)).syncTime();
    assertThat(started).isAfterOrEqualTo(before);
    assertThat(run.planned())
        .as("the next sync, one interval after this one started")
        .isEqualTo(started.plus(HOUR).truncatedTo(ChronoUnit.MILLIS));
  }
}
