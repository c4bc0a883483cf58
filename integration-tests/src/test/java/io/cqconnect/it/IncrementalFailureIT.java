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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real failures in the middle of incremental syncs (SIGKILL of the plugin, the plugin crashing
 * itself): the task restarts the plugin and the topic keeps every id, with duplicates only from
 * the sync that was interrupted. Abrupt death of a whole worker is in {@link
 * IncrementalWorkerCrashIT}.
 */
class IncrementalFailureIT {

  private static final long SEED = 20261125L;
  private static ConnectHarness harness;
  private static IncrementalFaults faults;
  private final List<String> connectors = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    harness = ConnectHarness.start("incremental-failure", 1);
    faults = new IncrementalFaults(harness.cluster().kafka().bootstrapServers());
  }

  @AfterAll
  static void stopCluster() {
    if (faults != null) {
      faults.close();
    }
    if (harness != null) {
      harness.close();
    }
  }

  @AfterEach
  void deleteConnectors() {
    connectors.forEach(harness.cluster()::deleteConnector);
  }

  private void configure(String name, String spec, long intervalMs) {
    harness.cluster().configureConnector(name, IncrementalFaults.source(name, spec, intervalMs));
    connectors.add(name);
  }

  private static long cursor(String name) {
    String value = IncrementalResumeIT.cursors(harness, name).get("incr_events_0");
    return value == null ? 0 : Long.parseLong(value);
  }

  private static void awaitCursorAtLeast(String name, long cursor, String why) {
    await()
        .alias(name + ": committed cursor of incr_events_0 reaches " + cursor + " (" + why + ")")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> cursor(name) >= cursor);
  }

  private static void awaitNewRows(String topic) {
    long start = faults.endOffset(topic);
    await()
        .alias("new rows arrive in " + topic)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> faults.endOffset(topic) > start);
  }

  @Test
  void shouldLeaveNoGapWhenThePluginIsKilledAtRandomMomentsOfItsSyncs() {
    String name = "kill";
    String topic = name + ".incr_events_0";
    // 10 batches of 10 rows, 100 ms apart: a sync lasts about 1 s; cursors are flushed every 25 rows.
    configure(name, "{\"rows_per_sync\":100,\"batch_rows\":10,\"flush_every_rows\":25,\"delay_ms_per_batch\":100}", 500);
    awaitCursorAtLeast(name, 100, "first sync");
    Random random = new Random(SEED);
    List<IncrementalFaults.Cycle> cycles = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      awaitNewRows(topic);
      long delay = random.nextInt(1400);
      IncrementalFaults.sleep(delay);
      long committed = cursor(name);
      long offset = faults.endOffset(topic);
      int killed = IncrementalFaults.killPlugins(ProcessHandle.current());
      assertThat(killed).as("plugin processes killed in cycle %d", i).isEqualTo(1);
      cycles.add(new IncrementalFaults.Cycle(i, "SIGKILL plugin", delay, committed, offset));
      awaitCursorAtLeast(name, committed + 100, "a sync finished after the kill");
    }
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    IncrementalTopics.History history = IncrementalTopics.assertResumeContract("incr_events_0", rows, 1);
    report("plugin SIGKILL", cycles, rows, history);
    for (IncrementalFaults.Cycle c : cycles) {
      IncrementalTopics.assertNothingRefetchedBelow("incr_events_0", rows, c.offsetAtFailure(), c.committedBefore());
    }
    assertThat(history.retries()).as("kills that interrupted a sync with rows already delivered").isPositive();
    assertThat(history.boundaryDuplicates()).isZero();
  }

  @Test
  void shouldLeaveNoGapWhenThePluginExitsByItselfMidSync() {
    String name = "crash";
    String topic = name + ".incr_events_0";
    // Each plugin process finishes two syncs of 60 rows, then exits with status 3 after 30 rows of
    // the third: the task must restart it and retry that sync from its start.
    configure(name, "{\"rows_per_sync\":60,\"batch_rows\":10,\"delay_ms_per_batch\":30,\"exit_after_rows\":150}", 200);
    Set<Long> pids = ConcurrentHashMap.newKeySet();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    try {
      watcher.scheduleWithFixedDelay(
          () -> IncrementalFaults.plugins(ProcessHandle.current()).forEach(p -> pids.add(p.pid())),
          0, 20, TimeUnit.MILLISECONDS);
      awaitCursorAtLeast(name, 600, "ten syncs, with a crash in every third");
    } finally {
      watcher.shutdownNow();
    }
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    IncrementalTopics.History history = IncrementalTopics.assertResumeContract("incr_events_0", rows, 1);
    int crashes = pids.size() - 1;
    System.out.printf("[IncrementalFailureIT] exit_after_rows: %d plugin processes seen, %d crashes; %s%n",
        pids.size(), crashes, history);
    assertThat(crashes).as("plugin processes that exited by themselves (distinct pids - 1)").isGreaterThanOrEqualTo(4);
    assertThat(IncrementalTopics.runs(rows))
        .as("every sync starts at a cursor a finished sync of 60 rows committed")
        .allMatch(run -> run.syncStart() % 60 == 0);
    assertThat(history.retries()).as("retried syncs").isPositive().isLessThanOrEqualTo(crashes);
    assertThat(history.maxRetryDuplicates()).as("rows sent again by one retry (the crashed sync had sent at most 30)")
        .isLessThanOrEqualTo(30);
  }

  static void report(
      String what, List<IncrementalFaults.Cycle> cycles, List<IncrementalTopics.Row> rows, IncrementalTopics.History history) {
    StringBuilder out = new StringBuilder("[IncrementalFailureIT] ").append(what).append(": ")
        .append(cycles.size()).append(" failure cycles\n");
    for (IncrementalFaults.Cycle c : cycles) {
      out.append("  ").append(c).append(IncrementalTopics.outcome(rows, c.offsetAtFailure())).append('\n');
    }
    out.append("  ").append(history);
    System.out.println(out);
  }
}
