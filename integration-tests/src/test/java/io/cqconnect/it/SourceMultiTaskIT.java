package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code tasks.max > 1}: top-level tables (children with their parents) spread over tasks. */
@ExtendWith(ConnectClusterExtension.class)
class SourceMultiTaskIT {

  private final ConnectHarness harness;

  SourceMultiTaskIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private List<List<String>> taskTables(String connector) {
    List<List<String>> tables = new ArrayList<>();
    for (TaskInfo task : harness.cluster().taskConfigs(connector)) {
      tables.add(List.of(task.config().get("task.tables").split(",")));
    }
    return tables;
  }

  @Test
  void shouldSyncEveryIncrementalTableOnceAcrossThreeTasks() {
    String name = "multi";
    Map<String, String> config =
        SourceConnectors.forFixture(
            name,
            Fixtures.SOURCE_INCREMENTAL,
            "{\"tables\":4,\"rows_per_sync\":30,\"full_rows\":5}");
    config.put("tasks.max", "3");
    config.put("state.table.name", "cq_state_multi");
    harness.cluster().configureConnector(name, config);

    // taskConfigs answers 500 ("a rebalance is expected") while the connector's tasks are being
    // assigned: ask again.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> harness.cluster().taskConfigs(name).size() == 3);
    List<List<String>> assignment = taskTables(name);
    Set<String> seen = new HashSet<>();
    for (List<String> tables : assignment) {
      for (String table : tables) {
        assertThat(seen.add(table)).as("table %s assigned to one task only", table).isTrue();
      }
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "incr_events_0", "incr_events_1", "incr_events_2", "incr_events_3", "full_items");

    IncrementalTopics topics = new IncrementalTopics(harness);
    for (int t = 0; t < 4; t++) {
      String topic = name + ".incr_events_" + t;
      await().atMost(Duration.ofSeconds(120)).until(() -> topics.rows(topic).size() >= 30);
      List<IncrementalTopics.Row> rows = topics.rows(topic);
      assertThat(IncrementalTopics.assertNoGap(rows)).isEqualTo(30);
      assertThat(rows).hasSize(30);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> IncrementalResumeIT.cursors(harness, name).size() == 4);
    assertThat(IncrementalResumeIT.cursors(harness, name))
        .containsOnlyKeys("incr_events_0", "incr_events_1", "incr_events_2", "incr_events_3");
    List<ConnectHarness.Message> full =
        harness.readAll(name + ".full_items", Duration.ofSeconds(10)).stream()
            .filter(m -> !m.isMarker())
            .toList();
    assertThat(full).hasSize(5);
  }

  @Test
  void shouldKeepChildTablesWithTheirParentOnTheGoTestPlugin() throws Exception {
    String spec = "{\"num_clients\":2,\"num_rows\":300,\"num_sub_rows\":2}";
    Map<String, List<String>> expected = BareSync.rowsByTable(Fixtures.SOURCE_TEST, spec, true);
    Map<String, String> config = SourceConnectors.forFixture("tpm", Fixtures.SOURCE_TEST, spec);
    config.put("tasks.max", "3");
    config.put("deterministic.cq.id", "true");
    harness.cluster().configureConnector("tpm", config);

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> !harness.cluster().taskConfigs("tpm").isEmpty());
    List<List<String>> assignment = taskTables("tpm");
    assertThat(assignment).hasSize(expected.size() - 1);
    assertThat(assignment)
        .anySatisfy(
            t -> assertThat(t).containsExactlyInAnyOrder("test_some_table", "test_sub_table"));

    for (Map.Entry<String, List<String>> table : expected.entrySet()) {
      String topic = "tpm." + table.getKey();
      harness.awaitMarker(topic, Duration.ofSeconds(120));
      long rows =
          harness.readAll(topic, Duration.ofSeconds(10)).stream()
              .filter(m -> !m.isMarker())
              .count();
      assertThat(rows).as("rows of %s", table.getKey()).isEqualTo(table.getValue().size());
    }
  }
}
