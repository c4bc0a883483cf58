package io.cqconnect.state;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The mirror through CloudQuery's real SQLite destination plugin. */
class PluginMirrorSqliteTest extends PluginMirrorContract {

  private static final AtomicInteger TABLES = new AtomicInteger();

  @TempDir Path dir;

  @Override
  protected PluginConnection connect() {
    return Fixtures.start(Fixtures.DEST_SQLITE, "tcp");
  }

  @Override
  protected String spec() {
    return "{\"connection_string\":\"" + dir.resolve("m.db") + "\"}";
  }

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("m.db");
  }

  @Override
  protected String table() {
    return "cq_state_mirror_" + TABLES.incrementAndGet();
  }
}
