package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Abrupt death of a whole worker (SIGKILL of a separate worker JVM and its plugin) in the middle of
 * incremental syncs, seven times: only the unfinished sync is fetched again. A class of its own
 * (split from {@link IncrementalFailureIT}) so that its seven worker starts run beside the plugin
 * failures in another failsafe fork.
 */
@ExtendWith(ConnectClusterExtension.class)
class IncrementalWorkerCrashIT {

  private final ConnectHarness harness;

  IncrementalWorkerCrashIT(ConnectHarness harness) {
    this.harness = harness;
  }

  @Test
  void shouldRefetchOnlyTheUnfinishedSyncWhenTheWorkerIsKilledAbruptly() {
    String name = "worker-crash";
    String cluster = "cq-crash";
    String topic = name + ".incr_events_0";
    // A sync lasts about 1 s and flushes its cursor every 30 rows; the worker commits offsets every
    // second, so kills land mid-sync, between a flush and the sync's end, and between a sync's end
    // and the offset commit.
    var config =
        IncrementalFaults.source(
            name,
            "{\"rows_per_sync\":100,\"batch_rows\":10,\"flush_every_rows\":30,\"delay_ms_per_batch\":100}",
            300);
    String bootstrap = harness.cluster().kafka().bootstrapServers();
    Random random = new Random(IncrementalFaults.SEED + 1);
    List<IncrementalFaults.Cycle> cycles = new ArrayList<>();
    IncrementalWorkerProcess worker = null;
    try {
      for (int i = 1; i <= 7; i++) {
        worker = IncrementalWorkerProcess.start(bootstrap, cluster, i);
        IncrementalWorkerProcess current = worker;
        await()
            .alias("worker " + i + " answers REST (log " + current.log() + ")")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> current.isAlive() && current.answers());
        if (i == 1) {
          worker.putConnector(name, config);
        }
        long start = harness.endOffset(topic);
        await()
            .alias("rows flow again on worker " + i + " (log " + current.log() + ")")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> harness.endOffset(topic) > start);
        if (i == 7) {
          break;
        }
        long delay = random.nextInt(3000);
        IncrementalFaults.sleep(delay);
        String value = worker.cursors(name).get("incr_events_0");
        long committed = value == null ? 0 : Long.parseLong(value);
        long offset = harness.endOffset(topic);
        int plugins = worker.kill();
        assertThat(plugins).as("processes started by worker %d and killed with it", i).isPositive();
        cycles.add(
            new IncrementalFaults.Cycle(
                i, "SIGKILL worker JVM + plugin", delay, committed, offset));
      }
      long last =
          cycles.stream().mapToLong(IncrementalFaults.Cycle::committedBefore).max().orElse(0);
      IncrementalWorkerProcess survivor = worker;
      await()
          .alias("the last worker commits two more syncs")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                String v = survivor.cursors(name).get("incr_events_0");
                return v != null && Long.parseLong(v) >= last + 300;
              });
      worker.stop();
    } finally {
      if (worker != null && worker.isAlive()) {
        worker.kill();
      }
    }
    IncrementalTopics.History history =
        IncrementalFaults.assertNoGapAfter(harness, topic, 1, "worker SIGKILL", cycles);
    assertThat(history.boundaryDuplicates()).isZero();
  }
}
