package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Periodic syncs and schemas that change between syncs. */
@ExtendWith(ConnectClusterExtension.class)
class SourceSyncScheduleIT {

  private final ConnectHarness harness;

  SourceSyncScheduleIT(ConnectHarness harness) {
    this.harness = harness;
  }

  @Test
  void shouldDeliverOneFullCopyPerSyncWhenSyncingPeriodically() {
    Map<String, String> config =
        SourceConnectors.forFixture(
            "periodic", Fixtures.SOURCE_TEST, "{\"num_rows\":40,\"num_sub_rows\":0}");
    config.put("tables", "test_some_table");
    config.put("sync.interval.ms", "1500");
    harness.cluster().configureConnector("periodic", config);
    String topic = "periodic.test_some_table";

    await().atMost(Duration.ofSeconds(120)).until(() -> markers(topic).size() >= 3);

    List<ConnectHarness.Message> messages = harness.readAll(topic, Duration.ofSeconds(10));
    Map<String, List<Long>> idsBySync = new TreeMap<>();
    for (ConnectHarness.Message m : messages) {
      if (!m.isMarker()) {
        idsBySync
            .computeIfAbsent(m.headers().get("cq.sync.time"), k -> new ArrayList<>())
            .add(m.payload().get("resource_id").asLong());
      }
    }
    List<String> finished =
        markers(topic).stream().map(m -> m.headers().get("cq.sync.time")).toList();
    assertThat(finished).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
    for (String syncTime : finished) {
      List<Long> ids = idsBySync.get(syncTime);
      assertThat(ids).as("rows of the sync that started at %s", syncTime).hasSize(40);
      assertThat(ids.stream().sorted().toList())
          .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
    }
  }

  @Test
  void shouldCarryAColumnAddedToTheTableBetweenSyncsIntoTheTopicSchema() {
    String name = "schema";
    Map<String, String> config =
        SourceConnectors.forFixture(name, Fixtures.SOURCE_INCREMENTAL, "{\"rows_per_sync\":20}");
    config.put("state.table.name", "cq_state_schema");
    harness.cluster().configureConnector(name, config);
    String topic = name + ".incr_events_0";
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> rowsIn(topic).size() >= 20 && !markers(topic).isEmpty());
    assertThat(fieldNames(rowsIn(topic).get(0))).doesNotContain("note");

    // The plugin's next version adds a column; the connector follows without being recreated.
    config.put("plugin.spec", "{\"rows_per_sync\":20,\"extra_columns\":[\"note\"]}");
    harness.cluster().configureConnector(name, config);

    await().atMost(Duration.ofSeconds(90)).until(() -> rowsIn(topic).size() >= 40);
    List<ConnectHarness.Message> rows = rowsIn(topic);
    List<ConnectHarness.Message> second =
        rows.stream().filter(m -> m.payload().get("id").asLong() > 20).toList();
    assertThat(second).hasSize(20);
    assertThat(second)
        .allSatisfy(
            m -> {
              assertThat(fieldNames(m)).contains("id", "cursor", "payload", "sync_start", "note");
              assertThat(m.payload().get("sync_start").asLong()).isEqualTo(20);
            });
    IncrementalTopics.assertNoGap(new IncrementalTopics(harness).rows(topic));
  }

  private static List<String> fieldNames(ConnectHarness.Message message) {
    List<String> names = new ArrayList<>();
    for (JsonNode field : message.value().get("schema").get("fields")) {
      names.add(field.get("field").asText());
    }
    return names;
  }

  private List<ConnectHarness.Message> rowsIn(String topic) {
    return harness.readAll(topic, Duration.ofSeconds(10)).stream()
        .filter(m -> !m.isMarker())
        .toList();
  }

  private List<ConnectHarness.Message> markers(String topic) {
    return harness.readAll(topic, Duration.ofSeconds(10)).stream()
        .filter(ConnectHarness.Message::isMarker)
        .toList();
  }
}
