package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A third, independent plugin implementation (the Python SDK's memdb, launched on TCP) through the
 * source connector: every table, the child table included, arrives with the rows memdb holds.
 */
@ExtendWith(ConnectClusterExtension.class)
class SourcePyMemdbIT {

  private static final String CONNECTOR = "pymemdb";

  private final ConnectHarness harness;

  SourcePyMemdbIT(ConnectHarness harness) {
    this.harness = harness;
  }

  /**
   * The rows of {@code table} once its end-of-sync marker is in the topic: the marker follows the
   * table's last row, so the topic then holds the whole sync.
   */
  private List<ConnectHarness.Message> syncedRows(String table) {
    String topic = CONNECTOR + "." + table;
    harness.awaitMarker(topic, Duration.ofSeconds(120));
    List<ConnectHarness.Message> all = harness.readAll(topic, Duration.ofSeconds(10));
    assertThat(all.stream().filter(ConnectHarness.Message::isMarker))
        .as("end-of-sync markers in %s", topic)
        .hasSize(1);
    List<ConnectHarness.Message> rows = all.stream().filter(m -> !m.isMarker()).toList();
    assertThat(rows)
        .allSatisfy(
            m ->
                assertThat(m.headers())
                    .containsEntry("cq.table", table)
                    .containsEntry("cq.source", CONNECTOR));
    return rows;
  }

  private static List<String> sorted(
      List<ConnectHarness.Message> rows, Function<JsonNode, String> field) {
    return rows.stream().map(m -> field.apply(m.payload())).sorted().toList();
  }

  private static List<String> keyFields(ConnectHarness.Message m) {
    List<String> names = new ArrayList<>();
    m.key().get("payload").fieldNames().forEachRemaining(names::add);
    return names.stream().sorted().toList();
  }

  @Test
  void shouldStreamEveryTableOfThePythonMemdbPluginWithItsRows() {
    harness
        .cluster()
        .configureConnector(
            CONNECTOR,
            SourceConnectors.forFixture(CONNECTOR, Fixtures.PY_MEMDB, "{\"concurrency\":10}"));

    List<ConnectHarness.Message> table1 = syncedRows("table_1");
    List<ConnectHarness.Message> table2 = syncedRows("table_2");
    List<ConnectHarness.Message> child = syncedRows("table_1_relation_1");

    // table_1: primary key (name, id); memdb adds no _cq_id column.
    assertThat(sorted(table1, p -> p.get("name").asText() + "/" + p.get("id").asLong()))
        .containsExactly("a/1", "b/2", "c/3");
    assertThat(table1.get(0).payload().has("_cq_id")).isFalse();
    assertThat(table1).allSatisfy(m -> assertThat(keyFields(m)).containsExactly("id", "name"));

    // table_2: primary key name; id is a plain nullable column.
    assertThat(sorted(table2, p -> p.get("name").asText() + "/" + p.get("id").asLong()))
        .containsExactly("a/1", "b/2", "c/3");
    assertThat(table2).allSatisfy(m -> assertThat(keyFields(m)).containsExactly("name"));

    // The child resolver runs once per parent row and has no parent column: its three rows
    // arrive three times, keyed by name, with the json column as text.
    assertThat(sorted(child, p -> p.get("name").asText() + "=" + p.get("data").asText()))
        .containsExactly(
            "a={\"a\": 1}",
            "a={\"a\": 1}",
            "a={\"a\": 1}",
            "b={\"b\": 2}",
            "b={\"b\": 2}",
            "b={\"b\": 2}",
            "c={\"c\": 3}",
            "c={\"c\": 3}",
            "c={\"c\": 3}");
    assertThat(child)
        .allSatisfy(
            m -> {
              assertThat(keyFields(m)).containsExactly("name");
              assertThat(m.key().get("payload").get("name").asText())
                  .isEqualTo(m.payload().get("name").asText());
            });
  }
}
