package io.cqconnect.state;

/** The Python state client against the server on SQLite. */
class PyStateClientSqliteTest extends PyStateClientContract {

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("cq-state.db");
  }
}
