package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's offsets recipes, run as a user would over REST (KIP-875, Kafka 4.x): resync one
 * table of an incremental source from scratch while the others continue from their cursors, and set
 * starting cursors on a connector created stopped, before its first sync.
 */
@ExtendWith(ConnectClusterExtension.class)
class IncrementalResyncIT {

  private static final int ROWS = 20;

  private final ConnectHarness harness;

  IncrementalResyncIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private Map<String, String> twoTables(String name) {
    return IncrementalFaults.source(
        name, "{\"tables\":2,\"rows_per_sync\":" + ROWS + ",\"batch_rows\":10}", 300);
  }

  /** A cursor partition as GET /connectors/NAME/offsets shows it. */
  private static Map<String, Object> cursorPartition(String name, String key) {
    Map<String, Object> partition = new LinkedHashMap<>();
    partition.put("v", 1);
    partition.put("source", name);
    partition.put("state_table", "cq_state_" + name);
    partition.put("key", key);
    return partition;
  }

  /** Rows of the table's topic from Kafka offset {@code from} on, once a sync wrote some. */
  private List<IncrementalTopics.Row> rowsFrom(String topic, long from) {
    await()
        .alias("rows after offset " + from + " in " + topic)
        .atMost(Duration.ofSeconds(60))
        .until(() -> harness.endOffset(topic) >= from + ROWS);
    return new IncrementalTopics(harness)
        .rows(topic).stream().filter(r -> r.offset() >= from).toList();
  }

  @Test
  void shouldReReadOnlyTheResetTableWhileTheOtherContinuesFromItsCursor() {
    String name = "resync_one";
    harness.cluster().configureConnector(name, twoTables(name));
    await()
        .alias("both tables synced twice")
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                IncrementalResumeIT.cursors(harness, name).values().stream()
                        .filter(v -> Long.parseLong(v) >= 2 * ROWS)
                        .count()
                    == 2);
    harness.stopAndAwait(name);
    Map<String, String> before = IncrementalResumeIT.cursors(harness, name);

    // The recipe: PATCH the table's cursor partition with a null offset, then resume.
    List<ConnectorOffset> reset = new ArrayList<>();
    reset.add(new ConnectorOffset(cursorPartition(name, "incr_events_0"), null));
    harness.cluster().alterConnectorOffsets(name, new ConnectorOffsets(reset));
    assertThat(harness.cluster().connectorOffsets(name).offsets())
        .as("offsets after the reset")
        .noneMatch(o -> "incr_events_0".equals(o.partition().get("key")) && o.offset() != null)
        .anyMatch(
            o ->
                "incr_events_1".equals(o.partition().get("key"))
                    && before.get("incr_events_1").equals(String.valueOf(o.offset().get("value"))));
    long from0 = harness.endOffset(name + ".incr_events_0");
    long from1 = harness.endOffset(name + ".incr_events_1");
    harness.cluster().resumeConnector(name);

    List<IncrementalTopics.Row> reread = rowsFrom(name + ".incr_events_0", from0);
    assertThat(reread.get(0))
        .as("first row of the reset table after the resume")
        .extracting(IncrementalTopics.Row::syncStart, IncrementalTopics.Row::id)
        .containsExactly(0L, 1L);
    List<IncrementalTopics.Row> continued = rowsFrom(name + ".incr_events_1", from1);
    long cursor1 = Long.parseLong(before.get("incr_events_1"));
    assertThat(continued.get(0))
        .as("first row of the other table after the resume")
        .extracting(IncrementalTopics.Row::syncStart, IncrementalTopics.Row::id)
        .containsExactly(cursor1, cursor1 + 1);
    System.out.printf(
        "[IncrementalResyncIT] cursors before the reset %s; after it incr_events_0 re-read from"
            + " id %d, incr_events_1 went on from id %d%n",
        before, reread.get(0).id(), continued.get(0).id());
  }

  @Test
  void shouldStartFromCursorsSetOnAConnectorCreatedStopped() {
    String name = "resync_preset";
    harness
        .cluster()
        .configureConnector(
            new CreateConnectorRequest(
                name, twoTables(name), CreateConnectorRequest.InitialState.STOPPED));
    await()
        .alias(name + " created stopped")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions() // 404 until the herder wrote the connector's first status
        .until(() -> "STOPPED".equals(harness.cluster().connectorStatus(name).connector().state()));

    // The recipe: the cursor, and the key index naming it (a task finds keys through the index).
    Map<String, Object> index = new LinkedHashMap<>(cursorPartition(name, "unused"));
    index.remove("key");
    index.put("index", 0);
    List<ConnectorOffset> preset = new ArrayList<>();
    preset.add(
        new ConnectorOffset(
            cursorPartition(name, "incr_events_0"), Map.of("value", "500", "version", 1)));
    preset.add(new ConnectorOffset(index, new HashMap<>(Map.of("keys", "[\"incr_events_0\"]"))));
    harness.cluster().alterConnectorOffsets(name, new ConnectorOffsets(preset));
    // GET reads the offsets topic back; on a loaded machine it once answered before it caught up.
    await()
        .alias("GET shows both partitions the PATCH set, with their offsets")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(harness.cluster().connectorOffsets(name).offsets())
                    .hasSize(2)
                    .allMatch(o -> o.offset() != null));
    harness.cluster().resumeConnector(name);

    List<IncrementalTopics.Row> preset0 = rowsFrom(name + ".incr_events_0", 0);
    assertThat(preset0.get(0))
        .as("first row of the table with a preset cursor")
        .extracting(IncrementalTopics.Row::syncStart, IncrementalTopics.Row::id)
        .containsExactly(500L, 501L);
    List<IncrementalTopics.Row> fresh1 = rowsFrom(name + ".incr_events_1", 0);
    assertThat(fresh1.get(0))
        .as("first row of the table without one")
        .extracting(IncrementalTopics.Row::syncStart, IncrementalTopics.Row::id)
        .containsExactly(0L, 1L);
  }
}
