package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second, independent plugin implementation (the JS SDK's memdb) through the same connector. */
@ExtendWith(ConnectClusterExtension.class)
class SourceJsMemdbIT {

  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private final ConnectHarness harness;

  SourceJsMemdbIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private List<ConnectHarness.Message> rows(String topic, int expected) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                harness.readAll(topic, Duration.ofSeconds(10)).stream()
                        .filter(m -> !m.isMarker())
                        .count()
                    >= expected);
    return harness.readAll(topic, Duration.ofSeconds(10)).stream()
        .filter(m -> !m.isMarker())
        .toList();
  }

  private static List<String> column(List<ConnectHarness.Message> rows, String column) {
    return rows.stream()
        .map(m -> m.payload().get(column))
        .map(n -> n == null || n.isNull() ? null : n.asText())
        .sorted()
        .toList();
  }

  @Test
  void shouldStreamEveryTableOfTheJsMemdbPlugin() {
    harness
        .cluster()
        .configureConnector(
            "memdb",
            SourceConnectors.forFixture("memdb", Fixtures.JS_MEMDB, "{\"concurrency\":100}"));

    List<ConnectHarness.Message> table1 = rows("memdb.table1", 3);
    List<ConnectHarness.Message> table2 = rows("memdb.table2", 2);
    List<ConnectHarness.Message> table3 = rows("memdb.table3", 2);
    List<ConnectHarness.Message> child = rows("memdb.table3_child1", 4);

    assertThat(table1).hasSize(3);
    assertThat(column(table1, "id")).containsExactly("id-1", "id-2", "id-3");
    Map<String, JsonNode> json =
        table1.stream()
            .collect(
                Collectors.toMap(
                    m -> m.payload().get("id").asText(), m -> m.payload().get("json")));
    assertThat(json.get("id-3").isNull()).isTrue();
    assertThat(json.get("id-2").asText().replace(" ", "")).isEqualTo("[1,2,3]");
    assertThat(table1)
        .allSatisfy(m -> assertThat(m.payload().get("_cq_id").asText()).matches(UUID));
    // table1 has no primary key of its own: the key is _cq_id.
    assertThat(table1)
        .allSatisfy(
            m ->
                assertThat(m.key().get("payload").get("_cq_id").asText())
                    .isEqualTo(m.payload().get("_cq_id").asText()));

    assertThat(table2).hasSize(2);
    assertThat(column(table2, "name")).containsExactly("name-1", "name-2");

    assertThat(table3).hasSize(2);
    assertThat(table3)
        .allSatisfy(
            m ->
                assertThat(m.key().get("payload").get("name").asText())
                    .isEqualTo(m.payload().get("name").asText()));

    assertThat(child).hasSize(4);
    assertThat(
            child.stream()
                .map(
                    m ->
                        m.payload().get("parent_name").asText()
                            + "/"
                            + m.payload().get("id").asLong())
                .sorted())
        .containsExactly("name-1/1", "name-1/2", "name-2/1", "name-2/2");
    assertThat(child)
        .allSatisfy(
            m -> {
              assertThat(m.payload().get("_cq_parent_id").asText()).matches(UUID);
              assertThat(m.headers())
                  .containsEntry("cq.table", "table3_child1")
                  .containsEntry("cq.source", "memdb");
              assertThat(m.key().get("payload").fieldNames())
                  .toIterable()
                  .containsExactlyInAnyOrder("id", "parent_name");
            });
    // One end-of-sync marker per table after the sync ended cleanly.
    for (String topic :
        List.of("memdb.table1", "memdb.table2", "memdb.table3", "memdb.table3_child1")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  harness.readAll(topic, Duration.ofSeconds(10)).stream()
                          .filter(ConnectHarness.Message::isMarker)
                          .count()
                      == 1);
    }
  }
}
