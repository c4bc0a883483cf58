package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Cursors survive clean restarts: each restart fetches only rows after the committed cursor. */
@ExtendWith(ConnectClusterExtension.class)
class IncrementalResumeIT {

  static Map<String, String> incrementalSource(String name, String spec) {
    Map<String, String> props = new HashMap<>();
    props.put("connector.class", "io.cqconnect.source.CloudQuerySourceConnector");
    props.put("tasks.max", "1");
    props.put("plugin.path", Fixtures.binary(Fixtures.SOURCE_INCREMENTAL).toString());
    props.put("plugin.args", "--no-sentry");
    props.put("plugin.spec", spec);
    props.put("tables", "*");
    props.put("topic.prefix", name + ".");
    props.put("state.table.name", "cq_state_" + name);
    props.put("sync.interval.ms", "0");
    return props;
  }

  /** The committed cursor values of a connector, by key, as the offsets REST API shows them. */
  static Map<String, String> cursors(ConnectHarness harness, String connector) {
    return harness.cluster().connectorOffsets(connector).offsets().stream()
        .filter(o -> o.partition().containsKey("key"))
        .collect(
            Collectors.toMap(
                o -> String.valueOf(o.partition().get("key")),
                o -> String.valueOf(o.offset().get("value"))));
  }

  @Test
  void shouldFetchOnlyNewRowsWhenRestartedAfterThreeSyncs(ConnectHarness harness) {
    String name = "resume";
    harness
        .cluster()
        .configureConnector(
            name, incrementalSource(name, "{\"rows_per_sync\":100,\"batch_rows\":10}"));
    IncrementalTopics topics = new IncrementalTopics(harness);
    String topic = name + ".incr_events_0";
    for (int sync = 1; sync <= 4; sync++) {
      long expected = sync * 100L;
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> String.valueOf(expected).equals(cursors(harness, name).get("incr_events_0")));
      assertThat(topics.rows(topic)).hasSize((int) expected);
      if (sync < 4) {
        // The task idles after its single sync: a restart is clean and starts the next sync.
        harness.cluster().restartConnectorAndTasks(name, false, true, false);
      }
    }
    List<IncrementalTopics.Row> rows = topics.rows(topic);
    assertThat(IncrementalTopics.assertNoGap(rows)).isEqualTo(400);
    assertThat(IncrementalTopics.counts(rows).values()).allMatch(n -> n == 1);
    // Each sync started from the cursor the previous one committed: only new rows were fetched.
    for (IncrementalTopics.Row row : rows) {
      assertThat(row.syncStart()).isEqualTo(((row.id() - 1) / 100) * 100);
    }
    List<ConnectorOffset> offsets = harness.cluster().connectorOffsets(name).offsets();
    assertThat(offsets).anyMatch(o -> o.partition().containsKey("index"));
  }
}
