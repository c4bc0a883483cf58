package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A plugin whose sync never ends (a CDC-like source that streams until stopped): rows flow to Kafka
 * as they come, but its cursors are committed, and its tables get end-of-sync markers, only when a
 * sync ends. Protocol v3 carries the plugin's state writes on a connection of their own, not in the
 * Sync stream, so a cursor written mid-sync may cover rows still on their way: committing it could
 * skip them. A restart during such a sync resumes from the last committed cursor (rows sent twice,
 * none lost). README "State" section says so.
 */
@ExtendWith(ConnectClusterExtension.class)
class StreamingSyncIT {

  @Test
  void shouldStreamRowsButCommitNoCursorNorMarkerWhileTheSyncRuns(ConnectHarness harness) {
    String name = "stream";
    // A sync of 100 million rows, 10 every 20 ms, the cursor flushed every 50 rows: it outlives
    // the test.
    String spec =
        "{\"rows_per_sync\":100000000,\"batch_rows\":10,\"flush_every_rows\":50,"
            + "\"delay_ms_per_batch\":20}";
    harness.cluster().configureConnector(name, IncrementalResumeIT.incrementalSource(name, spec));
    IncrementalTopics topics = new IncrementalTopics(harness);
    String topic = name + ".incr_events_0";

    await().atMost(Duration.ofSeconds(90)).until(() -> topics.rows(topic).size() >= 300);
    assertThat(IncrementalResumeIT.cursors(harness, name))
        .as("the plugin flushed its cursor at least 6 times, but its sync has not ended")
        .doesNotContainKey("incr_events_0");
    assertThat(harness.readAll(topic, Duration.ofSeconds(30), false))
        .as("no end-of-sync marker while the sync runs")
        .noneMatch(ConnectHarness.Message::isMarker);

    // A restart stops the endless sync (aborted: its cursors are dropped) and starts it again
    // from the last committed cursor, here none: the rows come again from id 1.
    int before = topics.rows(topic).size();
    harness.cluster().restartConnectorAndTasks(name, false, true, false);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> topics.rows(topic).stream().filter(r -> r.id() == 1).count() == 2);
    List<IncrementalTopics.Row> rows = topics.rows(topic);
    assertThat(rows.size()).isGreaterThan(before);
    IncrementalTopics.History history =
        IncrementalTopics.assertResumeContract("incr_events_0", rows, 1);
    assertThat(history.retries()).as("the restarted sync retried from the same cursor").isOne();
    assertThat(IncrementalResumeIT.cursors(harness, name)).doesNotContainKey("incr_events_0");
    harness.cluster().deleteConnector(name);
  }
}
