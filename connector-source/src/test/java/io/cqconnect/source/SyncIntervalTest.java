package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.config.SourceTaskConfig;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sync.interval.ms} counts from the start of one sync to the start of the next (as
 * docs/configuration.md says): a sync that took longer than the interval is followed at once. The
 * task's clock is a fake one on which every reading is 61 minutes after the previous one, so each
 * sync "lasts" longer than a one-hour interval; end-to-start counting would wait an hour.
 */
@Timeout(60)
class SyncIntervalTest {

  private static final Duration STEP = Duration.ofMinutes(61);

  @Test
  void shouldStartTheNextSyncAtOnceWhenASyncTookLongerThanTheInterval() throws Exception {
    Map<String, String> props = new HashMap<>();
    props.put("name", "src");
    props.put("plugin.address", "127.0.0.1:7777");
    props.put("sync.interval.ms", String.valueOf(Duration.ofHours(1).toMillis()));
    SyncSettings settings = SyncSettings.from(new SourceTaskConfig(props));
    assertThat(settings.interval()).isEqualTo(Duration.ofHours(1));
    SyncRunnerRetryTest.CommittingQueue queue = new SyncRunnerRetryTest.CommittingQueue();
    try (FakeSourcePlugin plugin = new FakeSourcePlugin(List.of(), Status.OK);
        SourceMetrics metrics = new SourceMetrics("interval-test", 0)) {
      SyncRunner runner =
          SyncRunnerRetryTest.runner(
              settings,
              plugin,
              queue,
              metrics,
              new SteppingClock(Instant.parse("2026-01-01T00:00:00Z"), STEP));
      Thread thread = new Thread(runner, "sync-interval-test");
      thread.start();
      int started = 0;
      try {
        // Each poll waits at most 30 s for the runner's next event; an hour-long wait between
        // syncs shows up as a null event, long before the hour.
        while (started < 3) {
          SyncEvent event = queue.poll(30, TimeUnit.SECONDS);
          assertThat(event)
              .as("an event after %d syncs started; the runner waits for the interval", started)
              .isNotNull();
          if (event instanceof SyncEvent.Started) {
            started++;
          }
        }
      } finally {
        runner.stop();
        thread.interrupt();
        thread.join(10_000);
      }
      assertThat(plugin.opened()).as("one plugin process served every sync").isEqualTo(1);
    }
  }

  /** A clock whose every reading is {@code step} after the previous one. */
  static final class SteppingClock extends Clock {
    private final AtomicReference<Instant> now;
    private final Duration step;

    SteppingClock(Instant start, Duration step) {
      this.now = new AtomicReference<>(start);
      this.step = step;
    }

    @Override
    public Instant instant() {
      return now.getAndUpdate(i -> i.plus(step));
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
