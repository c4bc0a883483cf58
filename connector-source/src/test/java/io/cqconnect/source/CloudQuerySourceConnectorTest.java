package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.junit.jupiter.api.Test;

/** {@code taskConfigs} per split mode, against the real incremental fixture plugin. */
class CloudQuerySourceConnectorTest {

  private static final String DISCOVERY_THREAD = "cq-source-conn-discovery";

  private final TableDiscoveryTest.CountingContext context =
      new TableDiscoveryTest.CountingContext();

  private static Map<String, String> props(String tasksMax) {
    Map<String, String> props = new HashMap<>();
    props.put("name", "conn");
    props.put("tasks.max", tasksMax);
    props.put("plugin.path", Fixtures.binary(Fixtures.SOURCE_INCREMENTAL).toString());
    props.put("plugin.args", "--no-sentry");
    props.put("plugin.spec", "{\"tables\":3}");
    props.put("tables.discovery.interval.ms", "0");
    return props;
  }

  private CloudQuerySourceConnector started(Map<String, String> props) {
    CloudQuerySourceConnector connector = new CloudQuerySourceConnector();
    connector.initialize(context);
    connector.start(props);
    return connector;
  }

  @Test
  void shouldSpreadTheDiscoveredTablesWhenSplitByTable() {
    CloudQuerySourceConnector connector = started(props("2"));
    try {
      List<Map<String, String>> tasks = connector.taskConfigs(2);

      assertThat(tasks).hasSize(2);
      List<String> assigned = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        assertThat(tasks.get(i)).containsEntry("task.id", Integer.toString(i));
        assigned.addAll(List.of(tasks.get(i).get("task.tables").split(",")));
      }
      assertThat(assigned)
          .containsExactlyInAnyOrder(
              "incr_events_0", "incr_events_1", "incr_events_2", "full_items");
      assertThat(context.requests).as("start waited for the first discovery").isZero();
    } finally {
      connector.stop();
      connector.stop();
    }
    assertThat(liveDiscoveryThread()).isFalse();
  }

  @Test
  void shouldStartNoDiscoveryWhenOneTaskOrShardSplit() {
    CloudQuerySourceConnector single = started(props("1"));
    assertThat(liveDiscoveryThread()).isFalse();
    assertThat(single.taskConfigs(1))
        .hasSize(1)
        .allSatisfy(t -> assertThat(t).containsEntry("task.id", "0"));
    single.stop();

    Map<String, String> shard = props("3");
    shard.put("table.split", "shard");
    CloudQuerySourceConnector sharded = started(shard);
    assertThat(liveDiscoveryThread()).isFalse();
    List<Map<String, String>> tasks = sharded.taskConfigs(3);
    sharded.stop();

    assertThat(tasks).extracting(t -> t.get("task.shard.num")).containsExactly("1", "2", "3");
    assertThat(tasks).allSatisfy(t -> assertThat(t).doesNotContainKey("task.tables"));
  }

  @Test
  void shouldRejectAnUnknownTablePatternAtValidateNamingThePluginsTables() {
    Map<String, String> props = props("1");
    props.put("tables", "incr_events_*,no_such_table");

    Config result = new CloudQuerySourceConnector().validate(props);

    assertThat(
            result.configValues().stream()
                .filter(v -> v.name().equals("tables"))
                .flatMap(v -> v.errorMessages().stream()))
        .containsExactly(
            "the plugin has no table matching 'no_such_table'; its tables are full_items,"
                + " incr_events_0, incr_events_1, incr_events_2; correct the pattern");
  }

  private static boolean liveDiscoveryThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals(DISCOVERY_THREAD));
  }
}
