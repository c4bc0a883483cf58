package io.cqconnect.state;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The Go state client against the server on SQLite. */
class GoStateClientSqliteTest extends GoStateClientContract {

  @TempDir Path dir;

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("cq-state.db");
  }
}
