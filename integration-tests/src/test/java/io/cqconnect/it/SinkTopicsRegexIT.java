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
 * The sink subscription the README shows (and {@code cq-connect-config translate} writes): a {@code
 * topics.regex} over the source's topic prefix that leaves out its state topic with a negative
 * lookahead. A real sink consumer takes every table topic and not the state topic, which the prefix
 * alone would match.
 */
@ExtendWith(ConnectClusterExtension.class)
class SinkTopicsRegexIT {

  @Test
  void shouldConsumeTheTableTopicsButNotTheStateTopicWhenSubscribedByTheDocumentedRegex(
      ConnectHarness harness) throws Exception {
    String source = "regexsrc";
    Map<String, String> config =
        SourceConnectors.forFixture(
            source, Fixtures.SOURCE_INCREMENTAL, "{\"tables\":1,\"rows_per_sync\":5}");
    config.put("state.table.name", "cq_state_" + source);
    harness.cluster().configureConnector(source, config);
    await()
        .alias("the first sync committed its cursor")
        .atMost(Duration.ofSeconds(90))
        .until(() -> IncrementalTopics.cursor(harness, source) >= 5);
    assertThat(harness.readAll(source + ".cq_state", Duration.ofSeconds(10)))
        .as("the state topic the regex must leave out holds records")
        .isNotEmpty();

    Path db = Files.createTempDirectory("sink-regex").resolve("regex.db");
    Map<String, String> sink =
        SinkConnectors.forFixture(
            Fixtures.DEST_SQLITE, SinkDatabases.sqliteSpec(db), "", "overwrite-delete-stale");
    sink.remove("topics");
    sink.put("topics.regex", "(?!" + source + "\\.cq_state$)" + source + "\\..*");
    harness.cluster().configureConnector("regex-sink", sink);

    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(db);
    await()
        .alias("both table topics written to SQLite")
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                SinkDatabases.count(sqlite, "incr_events_0") == 5
                    && SinkDatabases.count(sqlite, "full_items") == 5);
    List<List<Object>> tables =
        SinkDatabases.query(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table'");
    assertThat(tables.stream().map(row -> (String) row.get(0)))
        .contains("incr_events_0", "full_items")
        .noneMatch(name -> name.contains("cq_state"));
    assertThat(harness.cluster().connectorStatus("regex-sink").tasks())
        .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
  }
}
