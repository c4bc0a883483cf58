package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker goes away in the middle of an incremental sync and comes back before the producer's
 * {@code delivery.timeout.ms} (docs/operations.md, "broker unreachable"). What happens, seen here:
 * the worker loses its group (the outage outlasts its session), the rebalance when the broker is
 * back restarts the task, and the unfinished sync runs again from the last committed cursor. The
 * guarantee checked: the task ends RUNNING, every row is in the topic (duplicates allowed, no gap)
 * and the cursor is committed after them.
 */
class BrokerOutageIT {

  private static final int ROWS = 400;

  /** How long the broker stays down: long enough for many producer retries, far below 2 min. */
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @RegisterExtension
  static final ConnectClusterExtension CONNECT =
      // It stops the broker: a cluster of its own.
      ConnectClusterExtension.builder().dedicated().build();

  @Test
  void shouldFinishTheSyncWithEveryRowWhenTheBrokerComesBackInTime(ConnectHarness harness)
      throws Exception {
    String name = "outage";
    String topic = name + ".incr_events_0";
    // 40 batches of 10 rows, 250 ms apart: a sync of about 10 s, so the outage falls inside it.
    harness
        .cluster()
        .configureConnector(
            name,
            IncrementalResumeIT.incrementalSource(
                name,
                "{\"rows_per_sync\":" + ROWS + ",\"batch_rows\":10,\"delay_ms_per_batch\":250}"));
    await()
        .alias("the sync's first rows in " + topic)
        .atMost(Duration.ofSeconds(60))
        .until(() -> harness.endOffset(topic) > 0);

    harness.cluster().kafka().stopOnlyBrokers();
    Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for something to happen
    harness.cluster().kafka().restartOnlyBrokers();

    await()
        .alias("the cursor committed after all " + ROWS + " rows")
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                String.valueOf(ROWS)
                    .equals(IncrementalResumeIT.cursors(harness, name).get("incr_events_0")));
    assertThat(taskState(harness, name)).isEqualTo("RUNNING");
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    assertThat(IncrementalTopics.assertNoGap(rows)).isEqualTo(ROWS);
    System.out.printf(
        "BrokerOutageIT: broker down %d s mid-sync; %d records for %d ids, cursor %d committed%n",
        OUTAGE.toSeconds(), rows.size(), IncrementalTopics.counts(rows).size(), ROWS);
  }

  private static String taskState(ConnectHarness harness, String connector) {
    ConnectorStateInfo status = harness.cluster().connectorStatus(connector);
    return status.tasks().isEmpty() ? "NO TASK" : status.tasks().get(0).state();
  }
}
