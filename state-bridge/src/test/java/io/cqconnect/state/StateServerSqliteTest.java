package io.cqconnect.state;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The state server on SQLite, as {@code cq-state-server --jdbc-url jdbc:sqlite:...} runs it. */
class StateServerSqliteTest extends StateServerDatabaseContract {

  @TempDir static Path dir;

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("cq-state.db");
  }
}
