package io.cqconnect.sink;

import io.cqconnect.plugin.testing.Fixtures;
import io.cqconnect.plugin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The contract on CloudQuery's PostgreSQL destination (fixture {@code cq-dest-postgresql}). */
class PostgresDestinationTest extends DestinationContract {

  private String database;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = TestPostgres.createDatabase("sink");
  }

  @Override
  Map<String, String> pluginProps() {
    return Map.of(
        "plugin.path",
        Fixtures.binary(Fixtures.DEST_POSTGRESQL).toString(),
        "plugin.args",
        "--no-sentry",
        "plugin.spec",
        "{\"connection_string\":\"" + TestPostgres.connectionString(database) + "\"}");
  }

  @Override
  Connection connect() throws SQLException {
    return TestPostgres.connect(database);
  }
}
