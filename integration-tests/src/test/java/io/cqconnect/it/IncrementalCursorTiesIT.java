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
 * Many rows share one cursor value (tie_width 5): the plugin resumes inclusively at the stored
 * value, so a plugin killed in the middle of a bucket loses nothing; only boundary rows repeat.
 */
@ExtendWith(ConnectClusterExtension.class)
class IncrementalCursorTiesIT {

  private static final int TIE_WIDTH = 5;

  @Test
  void shouldLeaveNoGapWhenThePluginIsKilledInsideABucketOfTiedCursors(ConnectHarness harness) {
    String name = "ties";
    String topic = name + ".incr_events_0";
    // 152 rows a sync (ends inside a bucket of 5), cursor flushed every 13 rows (inside buckets
    // too), batches of 10 rows 60 ms apart (the SDK sends them 50 at a time): kills land between
    // rows sharing one cursor value.
    harness
        .cluster()
        .configureConnector(
            name,
            IncrementalFaults.source(
                name,
                "{\"rows_per_sync\":152,\"batch_rows\":10,\"flush_every_rows\":13,"
                    + "\"delay_ms_per_batch\":60,\"tie_width\":"
                    + TIE_WIDTH
                    + "}",
                300));
    try {
      await()
          .alias("first sync committed")
          .atMost(Duration.ofSeconds(90))
          .until(() -> IncrementalTopics.cursor(harness, name) > 0);
      Random random = new Random(7L);
      List<IncrementalFaults.Cycle> cycles = new ArrayList<>();
      for (int i = 1; i <= 6; i++) {
        long start = harness.endOffset(topic);
        await()
            .alias("rows flow")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> harness.endOffset(topic) > start);
        long delay = random.nextInt(600);
        IncrementalFaults.sleep(delay);
        long committed = IncrementalTopics.cursor(harness, name);
        long offset = harness.endOffset(topic);
        assertThat(IncrementalFaults.killPlugins(ProcessHandle.current())).isEqualTo(1);
        cycles.add(new IncrementalFaults.Cycle(i, "SIGKILL plugin", delay, committed, offset));
        await()
            .alias("a sync commits after kill " + i)
            .atMost(Duration.ofSeconds(60))
            .until(() -> IncrementalTopics.cursor(harness, name) >= committed + 30);
      }
      IncrementalTopics.History history =
          IncrementalFaults.assertNoGapAfter(
              harness, topic, TIE_WIDTH, "plugin SIGKILL with cursor ties", cycles);
      assertThat(history.retries())
          .as("kills that interrupted a sync with rows delivered")
          .isPositive();
      // Every sync ends inside a bucket (152 = 30 buckets + 2): the next one re-emits those 2 rows.
      assertThat(history.boundaryDuplicates()).as("boundary rows sent again").isPositive();
    } finally {
      harness.cluster().deleteConnector(name);
    }
  }
}
