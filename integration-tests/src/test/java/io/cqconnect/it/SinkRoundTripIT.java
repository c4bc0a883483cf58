package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CloudQuery's Go {@code test} source plugin through the source connector into Kafka, and from
 * Kafka through the sink connector into the real PostgreSQL and SQLite destinations: every table
 * holds exactly the rows the plugin emitted, every column type equal, with the CLI's columns
 * filled from the records' headers.
 */
class SinkRoundTripIT {

  static final String SPEC = "{\"num_clients\":1,\"num_rows\":200,\"num_sub_rows\":2}";
  private static ConnectHarness harness;

  @BeforeAll
  static void startCluster() {
    harness = ConnectHarness.start("sink-round-trip", 1);
  }

  @AfterAll
  static void stopCluster() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void shouldHoldEveryRowAndColumnTheTestPluginEmittedInPostgresAndSqlite() throws Exception {
    Map<String, SinkReadBack.Table> expected = SinkReadBack.bareSync(Fixtures.SOURCE_TEST, SPEC);
    assertThat(expected).as("tables the test plugin synced").hasSizeGreaterThanOrEqualTo(3);
    String pgDatabase = SinkDatabases.newPostgresDatabase("roundtrip");
    String pgSpec = SinkDatabases.postgresSpec(pgDatabase);
    Path sqliteFile = Files.createTempDirectory("sink-rt").resolve("rt.db");
    String sqliteSpec = SinkDatabases.sqliteSpec(sqliteFile);

    Map<String, String> source = SourceConnectors.forFixture("rt", Fixtures.SOURCE_TEST, SPEC);
    source.put("deterministic.cq.id", "true");
    harness.cluster().configureConnector("rt-source", source);
    harness.cluster().configureConnector(
        "rt-pg", SinkConnectors.forFixture(Fixtures.DEST_POSTGRESQL, pgSpec, "rt\\..*", "overwrite-delete-stale"));
    harness.cluster().configureConnector(
        "rt-sqlite", SinkConnectors.forFixture(Fixtures.DEST_SQLITE, sqliteSpec, "rt\\..*", "overwrite-delete-stale"));

    SinkDatabases.Connector pg = () -> SinkDatabases.postgres(pgDatabase);
    SinkDatabases.Connector sqlite = () -> SinkDatabases.sqlite(sqliteFile);
    for (SinkReadBack.Table table : expected.values()) {
      int rows = table.rows().size();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> SinkDatabases.count(pg, table.name()) == rows && SinkDatabases.count(sqlite, table.name()) == rows);
    }

    for (SinkReadBack.Table table : expected.values()) {
      List<String> wanted = sorted(table.rows());
      assertThat(sorted(SinkReadBack.readBack(Fixtures.DEST_POSTGRESQL, pgSpec, table)))
          .as("PostgreSQL table %s", table.name())
          .isEqualTo(wanted);
      assertThat(sorted(SinkReadBack.readBack(Fixtures.DEST_SQLITE, sqliteSpec, table)))
          .as("SQLite table %s", table.name())
          .isEqualTo(wanted);
      for (SinkDatabases.Connector db : List.of(pg, sqlite)) {
        assertThat(
                SinkDatabases.query(
                    db,
                    "SELECT DISTINCT _cq_source_name, _cq_sync_time IS NULL FROM \"" + table.name() + "\""))
            .as("CLI columns of %s", table.name())
            .hasSize(1)
            .allSatisfy(row -> assertThat(row.get(0)).isEqualTo("rt-source"));
      }
    }
    assertThat(SinkDatabases.query(pg, "SELECT DISTINCT _cq_sync_time IS NULL FROM test_some_table"))
        .containsExactly(List.of(false));
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    copy.sort(null);
    return copy;
  }
}
