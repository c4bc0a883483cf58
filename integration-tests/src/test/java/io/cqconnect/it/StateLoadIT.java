package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.it.StateMirrorIT.Cursor;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a task starts from: the highest version per key among Connect's offsets and the mirrored
 * table. A table advanced by another runner (the CLI) wins; a lagging table never rolls Connect
 * back; resetting the offsets (KIP-875) starts from scratch, with or without a mirror.
 */
@ExtendWith(ConnectClusterExtension.class)
class StateLoadIT {

  private final ConnectHarness harness;

  StateLoadIT(ConnectHarness harness) {
    this.harness = harness;
  }

  /** Starts the connector and waits until both tables committed {@code syncs} syncs. */
  private void startAndSync(String name, Map<String, String> props, int syncs) {
    harness.cluster().configureConnector(name, props);
    awaitCursors(name, (long) syncs * StateMirrorIT.ROWS);
  }

  private void awaitCursors(String name, long atLeast) {
    await()
        .alias(name + ": every table's cursor reaches " + atLeast)
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Map<String, Cursor> offsets = StateMirrorIT.offsets(harness, name);
              return offsets.size() == StateMirrorIT.TABLES
                  && offsets.values().stream().allMatch(c -> Long.parseLong(c.value()) >= atLeast);
            });
  }

  private void stop(String name) {
    harness.stopAndAwait(name);
  }

  /** Rows of the table's topic written after Kafka offset {@code from}, once a sync wrote some. */
  private List<IncrementalTopics.Row> rowsAfter(String topic, long from) {
    await()
        .alias("rows after offset " + from + " in " + topic)
        .atMost(Duration.ofSeconds(60))
        .until(() -> harness.endOffset(topic) > from);
    return new IncrementalTopics(harness)
        .rows(topic).stream().filter(r -> r.offset() >= from).toList();
  }

  private static void upsert(Path db, String table, String key, String value, long version)
      throws Exception {
    try (Connection c = SinkDatabases.sqlite(db);
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO \""
                    + table
                    + "\" (\"key\", \"value\", \"version\") VALUES (?, ?, ?)"
                    + " ON CONFLICT (\"key\") DO UPDATE SET \"value\" = excluded.\"value\","
                    + " \"version\" = excluded.\"version\"")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.setLong(3, version);
      ps.executeUpdate();
    }
  }

  private static Map<String, String> withSqliteMirror(String name, Path db) {
    Map<String, String> props = StateMirrorIT.source(name, 300);
    props.put("state.mirror.jdbc.url", "jdbc:sqlite:" + db);
    return props;
  }

  @Test
  void shouldStartFromACursorAnotherRunnerAdvancedInTheTable() throws Exception {
    String name = "advanced";
    Path db = Files.createTempDirectory("cq-load").resolve("state.db");
    startAndSync(name, withSqliteMirror(name, db), 2);
    stop(name);
    Map<String, Cursor> before = StateMirrorIT.offsets(harness, name);
    // As a CLI sync would: a higher version, a cursor far ahead.
    upsert(
        db,
        "cq_state_" + name,
        "incr_events_0",
        "1000",
        before.get("incr_events_0").version() + 10);
    long from0 = harness.endOffset(name + ".incr_events_0");
    long from1 = harness.endOffset(name + ".incr_events_1");
    harness.cluster().resumeConnector(name);

    List<IncrementalTopics.Row> advanced = rowsAfter(name + ".incr_events_0", from0);
    assertThat(advanced.get(0))
        .as("first row after the restart")
        .extracting(IncrementalTopics.Row::syncStart, IncrementalTopics.Row::id)
        .containsExactly(1000L, 1001L);
    assertThat(advanced).allMatch(r -> r.syncStart() >= 1000);
    List<IncrementalTopics.Row> untouched = rowsAfter(name + ".incr_events_1", from1);
    assertThat(untouched.get(0).syncStart())
        .isEqualTo(Long.parseLong(before.get("incr_events_1").value()));
    // One sync after the table's cursor (incr_events_1 goes on 50 rows a sync from where it was).
    await()
        .alias(name + ": incr_events_0's cursor reaches 1050")
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Cursor c = StateMirrorIT.offsets(harness, name).get("incr_events_0");
              return c != null && Long.parseLong(c.value()) >= 1050;
            });
    assertThat(StateMirrorIT.offsets(harness, name).get("incr_events_0").version())
        .as("Connect continued from the table's version")
        .isGreaterThan(before.get("incr_events_0").version() + 10);
    System.out.printf(
        "[StateLoadIT] advanced table: Connect had %s; the table said 1000; the next sync started at %d%n",
        before.get("incr_events_0"), advanced.get(0).syncStart());
  }

  @Test
  void shouldNotRollBackWhenTheTableLagsBehindConnect() throws Exception {
    String name = "lagging";
    Path db = Files.createTempDirectory("cq-load").resolve("state.db");
    startAndSync(name, withSqliteMirror(name, db), 2);
    stop(name);
    Map<String, Cursor> before = StateMirrorIT.offsets(harness, name);
    upsert(db, "cq_state_" + name, "incr_events_0", "10", 1);
    long from = harness.endOffset(name + ".incr_events_0");
    harness.cluster().resumeConnector(name);

    List<IncrementalTopics.Row> rows = rowsAfter(name + ".incr_events_0", from);
    long committed = Long.parseLong(before.get("incr_events_0").value());
    assertThat(rows.get(0).syncStart())
        .as("start of the first sync after the restart")
        .isEqualTo(committed);
    assertThat(rows).allMatch(r -> r.id() > committed);
    await()
        .alias("the lagging row is mirrored again")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                StateMirrorIT.table(() -> SinkDatabases.sqlite(db), "cq_state_" + name)
                        .get("incr_events_0")
                        .version()
                    >= before.get("incr_events_0").version());
    System.out.printf(
        "[StateLoadIT] lagging table: Connect had %s, the table 10 (version 1); the next sync started at %d%n",
        before.get("incr_events_0"), rows.get(0).syncStart());
  }

  /**
   * Runs two syncs, stops, resets the offsets, resumes: the next sync starts from scratch. With a
   * mirror ({@code table} not null) the reset must reach the table as an empty cursor at a higher
   * version than the table held, or the table's cursor would win on the next start.
   */
  private void assertResetStartsFromScratch(
      String name, Map<String, String> props, SinkDatabases.Connector table) {
    startAndSync(name, props, 2);
    stop(name);
    String stateTable = "cq_state_" + name;
    Map<String, Cursor> offsetsBefore = StateMirrorIT.offsets(harness, name);
    Map<String, Cursor> tableBefore =
        table == null ? Map.of() : StateMirrorIT.table(table, stateTable);
    harness.cluster().resetConnectorOffsets(name);
    assertThat(StateMirrorIT.offsets(harness, name)).as("cursors after the reset").isEmpty();
    if (table != null) {
      Map<String, Cursor> tableAfter = StateMirrorIT.table(table, stateTable);
      System.out.printf(
          "[StateLoadIT] reset with a plugin mirror: offsets before %s, table before %s, table after %s%n",
          offsetsBefore, tableBefore, tableAfter);
      assertThat(tableAfter).hasSize(StateMirrorIT.TABLES);
      tableAfter.forEach(
          (key, row) -> {
            assertThat(row.value()).as("%s in the table after the reset", key).isEmpty();
            assertThat(row.version()).isGreaterThan(tableBefore.get(key).version());
          });
    }
    long from = harness.endOffset(name + ".incr_events_0");
    harness.cluster().resumeConnector(name);
    List<IncrementalTopics.Row> rows = rowsAfter(name + ".incr_events_0", from);
    assertThat(rows.get(0))
        .as("first row after the reset")
        .extracting(IncrementalTopics.Row::syncStart, IncrementalTopics.Row::id)
        .containsExactly(0L, 1L);
    awaitCursors(name, StateMirrorIT.ROWS);
  }

  @Test
  void shouldStartFromScratchWhenTheOffsetsAreReset() {
    assertResetStartsFromScratch("reset", StateMirrorIT.source("reset", 300), null);
  }

  @Test
  void shouldStartFromScratchWhenTheOffsetsAreResetWithAPluginMirror() throws Exception {
    String name = "reset_mirror";
    Path db = Files.createTempDirectory("cq-load").resolve("m.db");
    Map<String, String> props = StateMirrorIT.source(name, 300);
    props.put("state.mirror.path", Fixtures.binary(Fixtures.DEST_SQLITE).toString());
    props.put("state.mirror.spec", SinkDatabases.sqliteSpec(db));
    assertResetStartsFromScratch(name, props, () -> SinkDatabases.sqlite(db));
  }
}
