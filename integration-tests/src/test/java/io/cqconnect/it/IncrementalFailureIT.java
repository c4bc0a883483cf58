package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real failures in the middle of incremental syncs (SIGKILL of the plugin, the plugin crashing
 * itself): the task restarts the plugin and the topic keeps every id, with duplicates only from the
 * sync that was interrupted. Abrupt death of a whole worker is in {@link IncrementalWorkerCrashIT}.
 */
@ExtendWith(ConnectClusterExtension.class)
class IncrementalFailureIT {

  private final ConnectHarness harness;

  IncrementalFailureIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private void configure(String name, String spec, long intervalMs) {
    harness.cluster().configureConnector(name, IncrementalFaults.source(name, spec, intervalMs));
  }

  private void awaitCursorAtLeast(String name, long cursor, String why) {
    await()
        .alias(name + ": committed cursor of incr_events_0 reaches " + cursor + " (" + why + ")")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> IncrementalTopics.cursor(harness, name) >= cursor);
  }

  private void awaitNewRows(String topic) {
    long start = harness.endOffset(topic);
    await()
        .alias("new rows arrive in " + topic)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> harness.endOffset(topic) > start);
  }

  @Test
  void shouldLeaveNoGapWhenThePluginIsKilledAtRandomMomentsOfItsSyncs() {
    String name = "kill";
    String topic = name + ".incr_events_0";
    // 10 batches of 10 rows, 100 ms apart: a sync lasts about 1 s; cursors are flushed every 25
    // rows.
    configure(
        name,
        "{\"rows_per_sync\":100,\"batch_rows\":10,\"flush_every_rows\":25,\"delay_ms_per_batch\":100}",
        500);
    awaitCursorAtLeast(name, 100, "first sync");
    Random random = new Random(IncrementalFaults.SEED);
    List<IncrementalFaults.Cycle> cycles = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      awaitNewRows(topic);
      long delay = random.nextInt(1000);
      IncrementalFaults.sleep(delay);
      long committed = IncrementalTopics.cursor(harness, name);
      long offset = harness.endOffset(topic);
      int killed = IncrementalFaults.killPlugins(ProcessHandle.current());
      assertThat(killed).as("plugin processes killed in cycle %d", i).isEqualTo(1);
      cycles.add(new IncrementalFaults.Cycle(i, "SIGKILL plugin", delay, committed, offset));
      awaitCursorAtLeast(name, committed + 100, "a sync finished after the kill");
    }
    IncrementalTopics.History history =
        IncrementalFaults.assertNoGapAfter(harness, topic, 1, "plugin SIGKILL", cycles);
    assertThat(history.retries())
        .as("kills that interrupted a sync with rows already delivered")
        .isPositive();
    assertThat(history.boundaryDuplicates()).isZero();
  }

  @Test
  void shouldLeaveNoGapWhenThePluginExitsByItselfMidSync() {
    String name = "crash";
    String topic = name + ".incr_events_0";
    // Each plugin process finishes two syncs of 100 rows, then exits with status 3 after 80 rows of
    // the third. The SDK sends rows in messages of 50, so 50 of them reach Kafka first: the task
    // must restart the plugin and retry that sync from its start.
    configure(
        name,
        "{\"rows_per_sync\":100,\"batch_rows\":10,\"delay_ms_per_batch\":20,\"exit_after_rows\":280}",
        200);
    Set<Long> pids = ConcurrentHashMap.newKeySet();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    try {
      watcher.scheduleWithFixedDelay(
          () -> IncrementalFaults.plugins(ProcessHandle.current()).forEach(p -> pids.add(p.pid())),
          0,
          20,
          TimeUnit.MILLISECONDS);
      awaitCursorAtLeast(name, 1000, "ten syncs, with a crash in every third");
    } finally {
      watcher.shutdownNow();
    }
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    IncrementalTopics.History history =
        IncrementalTopics.assertResumeContract("incr_events_0", rows, 1);
    int crashes = pids.size() - 1;
    System.out.printf(
        "[IncrementalFailureIT] exit_after_rows: %d plugin processes seen, %d crashes; %s%n",
        pids.size(), crashes, history);
    assertThat(crashes)
        .as("plugin processes that exited by themselves (distinct pids - 1)")
        .isGreaterThanOrEqualTo(4);
    assertThat(IncrementalTopics.runs(rows))
        .as("every sync starts at a cursor a finished sync of 100 rows committed")
        .allMatch(run -> run.syncStart() % 100 == 0);
    assertThat(history.retries()).as("retried syncs").isPositive().isLessThanOrEqualTo(crashes);
    assertThat(history.maxRetryDuplicates())
        .as("rows sent again by one retry (the crashed sync had emitted 80)")
        .isLessThanOrEqualTo(80);
  }
}
