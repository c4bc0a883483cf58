package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which syncs of a running task are full refreshes: the first when none is known, then the first
 * one at least {@code incremental.full.refresh.interval.ms} after the last; a task restarted with a
 * recent refresh in its offsets does not refresh again. The clock moves one minute each time the
 * sync thread reads it ({@link SyncIntervalTest.SteppingClock}), so no sync waits and nothing here
 * is timed.
 */
@Timeout(60)
class SyncRunnerFullRefreshTest {

  private static final Duration REFRESH = Duration.ofMinutes(10);
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static SyncSettings settings(String stateTable) {
    return SyncRunnerRetryTest.settings(
        stateTable, Duration.ofMinutes(1), new FullRefresh(REFRESH));
  }

  private record Run(List<SyncEvent.Ended> ended, List<SyncStateCapture> captures) {}

  /** Runs the sync thread until {@code syncs} syncs ended. */
  private static Run run(String stateTable, Instant lastRefresh, int syncs) throws Exception {
    LinkedBlockingQueue<SyncEvent> queue = new SyncRunnerRetryTest.CommittingQueue();
    List<SyncStateCapture> captures = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<SyncEvent.Ended> ended = new ArrayList<>();
    CursorState cursors = new CursorState();
    cursors.merge(List.of(new io.cqconnect.state.StateRow("t", "5", 1)));
    try (FakeSourcePlugin plugin = new FakeSourcePlugin(List.of(), Status.OK);
        SourceMetrics metrics = new SourceMetrics("refresh-test", 0)) {
      SyncRunner runner =
          new SyncRunner(
                  settings(stateTable),
                  plugin::open,
                  capture -> {
                    captures.add(capture);
                    return null;
                  },
                  null,
                  cursors,
                  queue,
                  metrics,
                  new SyncIntervalTest.SteppingClock(T0, Duration.ofMinutes(1)))
              .fullRefreshedAt(lastRefresh);
      Thread thread = new Thread(runner, "refresh-test-sync");
      thread.start();
      while (ended.size() < syncs) {
        SyncEvent event = queue.poll(30, TimeUnit.SECONDS);
        assertThat(event).as("sync event within 30 s").isNotNull();
        if (event instanceof SyncEvent.Ended e) {
          ended.add(e);
        }
      }
      runner.stop();
      thread.interrupt();
      thread.join();
      return new Run(ended, List.copyOf(captures));
    }
  }

  @Test
  void shouldRefreshFirstAndThenOncePerIntervalCarryingTheLastRefreshForward() throws Exception {
    Run run = run("st", null, 12);

    Instant last = null;
    List<Boolean> refreshes = new ArrayList<>();
    for (int i = 0; i < run.ended().size(); i++) {
      SyncEvent.Ended sync = run.ended().get(i);
      boolean expected = last == null || !sync.syncTime().isBefore(last.plus(REFRESH));
      assertThat(sync.fullRefresh())
          .as("sync %d at %s (last refresh %s)", i, sync.syncTime(), last)
          .isEqualTo(expected);
      assertThat(run.captures().get(i).read("st"))
          .as("cursors the plugin reads in sync %d", i)
          .hasSize(expected ? 0 : 1);
      last = expected ? sync.syncTime() : last;
      assertThat(sync.lastFullRefresh()).as("recorded with sync %d", i).isEqualTo(last);
      refreshes.add(sync.fullRefresh());
    }
    assertThat(refreshes.get(0)).as("none known: the first sync refreshes").isTrue();
    assertThat(refreshes.stream().filter(r -> r).count()).isBetween(2L, 6L);
    assertThat(refreshes).contains(false);
  }

  @Test
  void shouldNotRefreshWhenTheOffsetsHoldARecentRefresh() throws Exception {
    Run run = run("st", T0.minus(Duration.ofMinutes(2)), 2);

    assertThat(run.ended()).extracting(SyncEvent.Ended::fullRefresh).containsExactly(false, false);
    assertThat(run.ended())
        .extracting(SyncEvent.Ended::lastFullRefresh)
        .containsOnly(T0.minus(Duration.ofMinutes(2)));
  }

  @Test
  void shouldNeverRefreshWithoutAStateTable() throws Exception {
    Run run = run("", null, 2);

    assertThat(run.ended()).extracting(SyncEvent.Ended::fullRefresh).containsExactly(false, false);
  }
}
