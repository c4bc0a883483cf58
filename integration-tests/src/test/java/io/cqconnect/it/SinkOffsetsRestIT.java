package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sink's offsets through the worker's REST API (KIP-875): {@code PUT .../stop}, {@code PATCH}
 * and {@code DELETE .../offsets}, {@code PUT .../resume}. {@link EmbeddedConnectCluster}'s {@code
 * stopConnector}, {@code alterConnectorOffsets}, {@code resetConnectorOffsets} and {@code
 * resumeConnector} send exactly those HTTP requests to a worker's REST server (Kafka 4.3.1's {@code
 * EmbeddedConnect}: {@code requestPut}, {@code requestPatch}, {@code requestDelete}). A rewind
 * makes the sink write the rows again (idempotently: the key is the primary key); an edit the
 * connector's {@code alterOffsets} refuses (a topic it does not consume, a negative offset) comes
 * back with its message, as HTTP 500 (see below).
 */
@ExtendWith(ConnectClusterExtension.class)
class SinkOffsetsRestIT {

  private static final String NAME = "offs-sink";
  private static final String TOPIC = "offs.items";
  private static final int ROWS = 20;

  private final ConnectHarness harness;

  SinkOffsetsRestIT(ConnectHarness harness) {
    this.harness = harness;
  }

  @Test
  void shouldRewriteRowsAfterAPatchOrAResetAndRefuseBadEditsWithOurMessage() throws Exception {
    EmbeddedConnectCluster cluster = harness.cluster();
    cluster.kafka().createTopic(TOPIC, 1);
    Path file = Files.createTempDirectory("sink-offsets").resolve("offsets.db");
    SinkDatabases.Connector db = () -> SinkDatabases.sqlite(file);
    try (SinkKafka kafka = new SinkKafka(cluster.kafka().bootstrapServers())) {
      kafka.rows(TOPIC, 1, ROWS, "v-");
    }
    Map<String, String> sink =
        SinkConnectors.forFixture(
            Fixtures.DEST_SQLITE, SinkDatabases.sqliteSpec(file), TOPIC, "overwrite");
    sink.put("batch.timeout.ms", "300");
    cluster.configureConnector(NAME, sink);
    awaitCommitted(ROWS);
    assertThat(names(db)).hasSize(ROWS).allMatch(n -> n.startsWith("v-"));

    // PATCH: back to offset 10 (rows 11..20 again).
    harness.stopAndAwait(NAME);
    edit(file, "edited");
    String patched = cluster.alterConnectorOffsets(NAME, offsets(TOPIC, 10L));
    assertThat(patched).contains("offsets");
    assertThat(committed()).isEqualTo(10L);

    // An edit of a topic the sink does not consume: our alterOffsets refuses it, and the worker
    // answers with its message. The status is 500: Connect 4.3.1 passes a connector's
    // ConnectException through (ConnectUtils.maybeWrap) and its REST mapper gives 4xx only to its
    // own ConnectRestException subclasses, which live in connect-runtime, not connect-api.
    ConnectRestException foreign =
        catchThrowableOfType(
            ConnectRestException.class,
            () -> cluster.alterConnectorOffsets(NAME, offsets("offs.typo", 0L)));
    assertThat(foreign.statusCode()).isEqualTo(500);
    assertThat(foreign.getMessage())
        .contains("Offsets for topics [offs.typo] cannot be altered")
        .contains("this sink does not consume them (topics=" + TOPIC + ")");
    // A negative offset: without our check Connect answers 500 "Failed to modify offsets for sink
    // connector offs-sink", naming nothing.
    ConnectRestException negative =
        catchThrowableOfType(
            ConnectRestException.class,
            () -> cluster.alterConnectorOffsets(NAME, offsets(TOPIC, -1L)));
    assertThat(negative.statusCode()).isEqualTo(500);
    assertThat(negative.getMessage())
        .contains("Sink offsets cannot be negative: offset -1 for partition " + TOPIC + "-0");
    assertThat(committed()).as("refused edits change nothing").isEqualTo(10L);

    cluster.resumeConnector(NAME);
    awaitCommitted(ROWS);
    await("rows 11..20 written again")
        .atMost(Duration.ofSeconds(60))
        .until(() -> names(db).stream().filter(n -> n.startsWith("v-")).count() == 10);
    assertThat(
            SinkDatabases.query(
                db, "SELECT min(id), max(id) FROM \"" + TOPIC + "\" WHERE name = 'edited'"))
        .containsExactly(List.of(1L, 10L));
    assertThat(names(db)).hasSize(ROWS);

    // DELETE: the consumer group's offsets are gone; the sink reads from the beginning again.
    harness.stopAndAwait(NAME);
    edit(file, "edited-again");
    cluster.resetConnectorOffsets(NAME);
    assertThat(cluster.connectorOffsets(NAME).offsets()).isEmpty();
    cluster.resumeConnector(NAME);
    await("all rows written again after the reset")
        .atMost(Duration.ofSeconds(60))
        .until(() -> names(db).stream().allMatch(n -> n.startsWith("v-")));
    assertThat(names(db)).hasSize(ROWS);
    awaitCommitted(ROWS);
  }

  private static ConnectorOffsets offsets(String topic, long offset) {
    Map<String, Object> partition = new HashMap<>();
    partition.put("kafka_topic", topic);
    partition.put("kafka_partition", 0);
    return new ConnectorOffsets(
        List.of(new ConnectorOffset(partition, Map.of("kafka_offset", offset))));
  }

  /** The committed offset of the topic's partition 0 (GET .../offsets), -1 when there is none. */
  private long committed() {
    return harness.cluster().connectorOffsets(NAME).offsets().stream()
        .filter(o -> TOPIC.equals(o.partition().get("kafka_topic")))
        .mapToLong(o -> ((Number) o.offset().get("kafka_offset")).longValue())
        .findFirst()
        .orElse(-1L);
  }

  private void awaitCommitted(long offset) {
    await("offset " + offset + " committed")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> committed() == offset);
  }

  private static List<String> names(SinkDatabases.Connector db) {
    return SinkDatabases.query(db, "SELECT name FROM \"" + TOPIC + "\"").stream()
        .map(r -> (String) r.get(0))
        .toList();
  }

  /** Overwrites every row's name while the sink is stopped, to see which rows it writes again. */
  private static void edit(Path file, String name) throws Exception {
    try (Connection c = SinkDatabases.sqlite(file);
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE \"" + TOPIC + "\" SET name = '" + name + "'");
    }
  }
}
