package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CloudQuery's Go {@code test} source plugin through the source connector into Kafka, and from
 * Kafka through the sink connector into the real PostgreSQL and SQLite destinations: every table
 * holds exactly the rows the plugin emitted, every column type equal, with the CLI's columns filled
 * from the records' headers; after a second sync, delete-stale has removed what that sync did not
 * write.
 */
@ExtendWith(ConnectClusterExtension.class)
class SinkRoundTripIT {

  static final String SPEC = "{\"num_clients\":1,\"num_rows\":200,\"num_sub_rows\":2}";

  @Test
  void shouldHoldEveryRowAndColumnTheTestPluginEmittedInPostgresAndSqlite(ConnectHarness harness)
      throws Exception {
    Map<String, SinkReadBack.Table> expected = SinkReadBack.bareSync(Fixtures.SOURCE_TEST, SPEC);
    assertThat(expected).as("tables the test plugin synced").hasSizeGreaterThanOrEqualTo(3);
    String pgDatabase = SinkDatabases.newPostgresDatabase("roundtrip");
    String pgSpec = SinkDatabases.postgresSpec(pgDatabase);
    Path sqliteFile = Files.createTempDirectory("sink-rt").resolve("rt.db");
    String sqliteSpec = SinkDatabases.sqliteSpec(sqliteFile);

    Map<String, String> source = SourceConnectors.forFixture("rt", Fixtures.SOURCE_TEST, SPEC);
    source.put("deterministic.cq.id", "true");
    harness.cluster().configureConnector("rt-source", source);
    List<String> topics = new ArrayList<>();
    for (String table : expected.keySet()) {
      String topic = "rt." + table;
      topics.add(topic);
      // The sinks subscribe to existing topics: wait until the source has written each one.
      harness.awaitMarker(topic, Duration.ofSeconds(120));
    }
    harness
        .cluster()
        .configureConnector(
            "rt-pg",
            SinkConnectors.forFixture(
                Fixtures.DEST_POSTGRESQL,
                pgSpec,
                String.join(",", topics),
                "overwrite-delete-stale"));
    harness
        .cluster()
        .configureConnector(
            "rt-sqlite",
            SinkConnectors.forFixture(
                Fixtures.DEST_SQLITE,
                sqliteSpec,
                String.join(",", topics),
                "overwrite-delete-stale"));

    SinkDatabases.Connector pg = () -> SinkDatabases.postgres(pgDatabase);
    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(sqliteFile);
    for (SinkReadBack.Table table : expected.values()) {
      int rows = table.rows().size();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  SinkDatabases.count(pg, table.name()) == rows
                      && SinkDatabases.count(sqlite, table.name()) == rows);
    }

    for (SinkReadBack.Table table : expected.values()) {
      Set<String> clock = clockColumns(table);
      Set<String> skipped = new HashSet<>(clock);
      skipped.addAll(LOSSY_READ);
      List<String> wanted = SinkReadBack.comparable(table.rows(), skipped);
      assertThat(
              SinkReadBack.comparable(
                  SinkReadBack.readBack(Fixtures.DEST_POSTGRESQL, pgSpec, table), skipped))
          .as("PostgreSQL table %s", table.name())
          .isEqualTo(wanted);
      assertThat(
              SinkReadBack.comparable(
                  SinkReadBack.readBack(Fixtures.DEST_SQLITE, sqliteSpec, table), skipped))
          .as("SQLite table %s", table.name())
          .isEqualTo(wanted);
      for (SinkDatabases.Connector db : List.of(pg, sqlite)) {
        assertThat(
                SinkDatabases.query(
                    db,
                    "SELECT DISTINCT _cq_source_name, _cq_sync_time IS NULL FROM \""
                        + table.name()
                        + "\""))
            .as("CLI columns of %s", table.name())
            .singleElement()
            .satisfies(row -> assertThat(row.get(0)).isEqualTo("rt-source"));
        for (String column : table.rows().get(0).keySet()) {
          if (LOSSY_READ.contains(column)) {
            // Stored exactly, but the destination's Read parses nested numbers as doubles: compare
            // the stored text (PostgreSQL stores a bigint[] and prints {a,NULL,b}).
            assertThat(asJsonList(sqlText(db, table.name(), column)))
                .as("%s.%s", table.name(), column)
                .isEqualTo(table.rows().get(0).get(column));
          } else if (clock.contains(column)) {
            assertThat(sqlText(db, table.name(), column))
                .as("%s.%s", table.name(), column)
                .isNotNull();
          }
        }
      }
    }
    assertThat(
            SinkDatabases.query(pg, "SELECT DISTINCT _cq_sync_time IS NULL FROM test_some_table"))
        .containsExactly(List.of(false));

    // A second sync: upserts refresh _cq_sync_time, and the table without a primary key (a new
    // random _cq_id per sync) keeps only the new row because delete-stale removes the old one.
    String firstSync = syncTimes(pg, "test_some_table").get(0);
    harness.cluster().restartConnectorAndTasks("rt-source", false, true, false);
    for (SinkDatabases.Connector db : List.of(pg, sqlite)) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                List<String> data = syncTimes(db, "test_testdata_table");
                List<String> some = syncTimes(db, "test_some_table");
                return SinkDatabases.count(db, "test_testdata_table") == 1
                    && data.size() == 1
                    && !data.get(0).equals(firstSync)
                    && some.equals(data);
              });
      assertThat(SinkDatabases.count(db, "test_some_table")).isEqualTo(200);
    }
  }

  private static List<String> syncTimes(SinkDatabases.Connector db, String table) {
    List<String> out = new ArrayList<>();
    for (List<Object> row :
        SinkDatabases.query(
            db, "SELECT DISTINCT CAST(_cq_sync_time AS TEXT) FROM \"" + table + "\"")) {
      out.add(String.valueOf(row.get(0)));
    }
    return out;
  }

  /** Nested 64-bit integers: the fixture destinations' Read parses them through doubles. */
  private static final Set<String> LOSSY_READ = Set.of("int64_list", "uint64_list", "id_list");

  /**
   * Columns the test plugin fills from the clock at sync time (times, timestamps, and the structs
   * holding them): a second sync of the plugin cannot reproduce them, so they are only checked for
   * presence.
   */
  private static Set<String> clockColumns(SinkReadBack.Table table) {
    Set<String> out = new HashSet<>();
    for (org.apache.arrow.vector.types.pojo.Field field : table.schema().getFields()) {
      String name = field.getName();
      if (name.startsWith("timestamp")
          || name.startsWith("time32")
          || name.startsWith("time64")
          || name.startsWith("struct")) {
        out.add(name);
      }
    }
    return out;
  }

  /** A PostgreSQL array literal as the JSON list text SQLite stores; other text unchanged. */
  private static String asJsonList(String text) {
    if (text == null || !text.startsWith("{")) {
      return text;
    }
    return "[" + text.substring(1, text.length() - 1).replace("NULL", "null") + "]";
  }

  private static String sqlText(SinkDatabases.Connector db, String table, String column) {
    List<List<Object>> rows =
        SinkDatabases.query(db, "SELECT CAST(\"" + column + "\" AS TEXT) FROM \"" + table + "\"");
    Object value = rows.get(0).get(0);
    return value == null ? null : value.toString().replace(" ", "");
  }
}
