package io.cqconnect.sink;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The contract on CloudQuery's SQLite destination (fixture {@code cq-dest-sqlite}). */
class SqliteDestinationTest extends DestinationContract {

  @TempDir Path dir;

  private Path database() {
    return dir.resolve("sink.db");
  }

  @Override
  Map<String, String> pluginProps() {
    return Map.of(
        "plugin.path",
        Fixtures.binary(Fixtures.DEST_SQLITE).toString(),
        "plugin.args",
        "--no-sentry",
        "plugin.spec",
        "{\"connection_string\":\"" + database() + "\"}");
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + database());
  }
}
