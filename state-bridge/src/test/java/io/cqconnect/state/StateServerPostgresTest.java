package io.cqconnect.state;

import io.cqconnect.plugin.testing.TestPostgres;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;

/** The state server on a real PostgreSQL, as {@code cq-state-server} runs it there. */
class StateServerPostgresTest extends StateServerDatabaseContract {

  private static String database;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database = TestPostgres.createDatabase("stateserverpostgrestest");
  }

  @Override
  protected String jdbcUrl() {
    return TestPostgres.jdbcUrl(database);
  }
}
