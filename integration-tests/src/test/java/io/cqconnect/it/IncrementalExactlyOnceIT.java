package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once source support with connector-defined transactions (one transaction per sync):
 * plugin kills and task restarts in the middle of syncs leave no gap and, for a read_committed
 * consumer, no duplicate at all.
 */
class IncrementalExactlyOnceIT {

  @RegisterExtension
  static final ConnectClusterExtension CONNECT =
      ConnectClusterExtension.builder().exactlyOnce().build();

  @Test
  void shouldDeliverEveryIdExactlyOnceWhenThePluginIsKilledAndTheTaskRestartedMidSync(
      ConnectHarness harness) {
    String name = "eos";
    String topic = name + ".incr_events_0";
    Map<String, String> config =
        IncrementalFaults.source(
            name,
            "{\"rows_per_sync\":100,\"batch_rows\":10,\"flush_every_rows\":25,\"delay_ms_per_batch\":100}",
            300);
    config.put("exactly.once.support", "required");
    config.put("transaction.boundary", "connector");
    // A sync lasts about 1 s; its transaction must stay open that long (the default is 60 s).
    config.put("producer.override.transaction.timeout.ms", "30000");
    harness.cluster().configureConnector(name, config);
    try {
      await()
          .alias("first sync committed")
          .atMost(Duration.ofSeconds(90))
          .until(() -> IncrementalTopics.cursor(harness, name) >= 100);
      Random random = new Random(31L);
      List<IncrementalFaults.Cycle> cycles = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        long start = harness.endOffset(topic);
        await()
            .alias("rows flow")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> harness.endOffset(topic) > start);
        long delay = random.nextInt(900);
        IncrementalFaults.sleep(delay);
        long committed = IncrementalTopics.cursor(harness, name);
        long offset = harness.endOffset(topic);
        String kind;
        if (i % 3 == 0) {
          kind = "task restart";
          harness.cluster().restartTask(name, 0);
        } else {
          kind = "SIGKILL plugin";
          assertThat(IncrementalFaults.killPlugins(ProcessHandle.current())).isEqualTo(1);
        }
        cycles.add(new IncrementalFaults.Cycle(i, kind, delay, committed, offset));
        await()
            .alias("a sync commits after failure " + i)
            .atMost(Duration.ofSeconds(90))
            .until(() -> IncrementalTopics.cursor(harness, name) >= committed + 100);
      }
      List<IncrementalTopics.Row> committedRows = new IncrementalTopics(harness).rows(topic, true);
      List<IncrementalTopics.Row> allRows = new IncrementalTopics(harness).rows(topic, false);
      IncrementalTopics.History history =
          IncrementalTopics.assertResumeContract("incr_events_0", committedRows, 1);
      IncrementalFaults.report(
          "exactly-once (outcomes as read_uncommitted shows them; totals read_committed)",
          cycles,
          allRows,
          history);
      assertThat(IncrementalTopics.counts(committedRows).entrySet())
          .as("ids a read_committed consumer sees more than once")
          .filteredOn(e -> e.getValue() > 1)
          .isEmpty();
      assertThat(history.retries()).isZero();
      assertThat(allRows.size())
          .as("aborted transactions hold the rows of interrupted syncs")
          .isGreaterThan(committedRows.size());
    } finally {
      harness.cluster().deleteConnector(name);
    }
  }
}
