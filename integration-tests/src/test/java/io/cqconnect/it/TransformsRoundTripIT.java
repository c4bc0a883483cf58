package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka's own single message transforms on the source connector, as the README advises them: {@code
 * InsertField$Value} on data records only (predicate {@code HasHeaderKey cq.control}, negated, so
 * end-of-sync markers pass untouched) and {@code RegexRouter} renaming the topics. The sink reads
 * the renamed topic and still writes the table the {@code cq.table} header names, with the inserted
 * column, and its delete-stale (driven by the untouched markers) keeps every row.
 */
@ExtendWith(ConnectClusterExtension.class)
class TransformsRoundTripIT {

  private static final int ROWS = 20;

  @Test
  void shouldCarryTransformedRecordsIntoTheHeadersTableWithTheInsertedColumn(ConnectHarness harness)
      throws Exception {
    Map<String, String> source =
        SourceConnectors.forFixture(
            "smt", Fixtures.SOURCE_TEST, "{\"num_clients\":1,\"num_rows\":" + ROWS + "}");
    source.put("tables", "test_some_table");
    source.put("transforms", "tag,route");
    source.put("transforms.tag.type", "org.apache.kafka.connect.transforms.InsertField$Value");
    source.put("transforms.tag.static.field", "origin");
    source.put("transforms.tag.static.value", "smt");
    source.put("transforms.tag.predicate", "control");
    source.put("transforms.tag.negate", "true");
    source.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
    source.put("transforms.route.regex", "smt\\.(.*)");
    source.put("transforms.route.replacement", "routed.$1");
    source.put("predicates", "control");
    source.put(
        "predicates.control.type", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey");
    source.put("predicates.control.name", "cq.control");
    harness.cluster().configureConnector("smt-source", source);

    String topic = "routed.test_some_table";
    harness.awaitMarker(topic, Duration.ofSeconds(120));
    List<ConnectHarness.Message> messages = harness.readAll(topic, Duration.ofSeconds(10));
    assertThat(messages.stream().filter(m -> !m.isMarker()))
        .hasSize(ROWS)
        .allSatisfy(
            m -> {
              assertThat(m.payload().path("origin").asText()).isEqualTo("smt");
              // InsertField keeps the schema's name; the headers travel untouched.
              assertThat(m.value().path("schema").path("name").asText())
                  .isEqualTo("cq.test_some_table.Value");
              assertThat(m.headers())
                  .containsEntry("cq.table", "test_some_table")
                  .containsEntry("cq.source", "smt-source")
                  .containsKey("cq.sync.time");
            });
    assertThat(messages.stream().filter(ConnectHarness.Message::isMarker))
        .singleElement()
        .satisfies(m -> assertThat(m.headers()).containsEntry("cq.table", "test_some_table"));

    Path db = Files.createTempDirectory("sink-smt").resolve("smt.db");
    harness
        .cluster()
        .configureConnector(
            "smt-sink",
            SinkConnectors.forFixture(
                Fixtures.DEST_SQLITE,
                SinkDatabases.sqliteSpec(db),
                topic,
                "overwrite-delete-stale"));
    // Caught up once its committed offset passes the marker (committed after the delete-stale).
    long end = messages.get(messages.size() - 1).offset() + 1;
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .until(
            () ->
                harness.cluster().connectorOffsets("smt-sink").offsets().stream()
                    .anyMatch(o -> ((Number) o.offset().get("kafka_offset")).longValue() >= end));
    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
    assertThat(SinkDatabases.count(sqlite, "test_some_table")).isEqualTo(ROWS);
    assertThat(
            SinkDatabases.query(
                sqlite, "SELECT origin, count(*) FROM test_some_table GROUP BY origin"))
        .containsExactly(List.of("smt", (long) ROWS));
    assertThat(SinkDatabases.query(sqlite, "SELECT name FROM sqlite_master WHERE type='table'"))
        .extracting(row -> row.get(0))
        .doesNotContain(topic);
  }
}
