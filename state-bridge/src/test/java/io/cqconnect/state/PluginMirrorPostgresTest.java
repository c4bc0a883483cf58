package io.cqconnect.state;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import io.cqconnect.plugin.testing.TestPostgres;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/** The mirror through CloudQuery's real PostgreSQL destination plugin on a real PostgreSQL. */
class PluginMirrorPostgresTest extends PluginMirrorContract {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static String database;

  @BeforeAll
  static void createDatabase() throws SQLException {
    database = TestPostgres.createDatabase("pluginmirrorpostgrestest");
  }

  @Override
  protected PluginConnection connect() {
    return Fixtures.start(Fixtures.DEST_POSTGRESQL, "tcp");
  }

  @Override
  protected String spec() {
    return "{\"connection_string\":\"" + TestPostgres.connectionString(database) + "\"}";
  }

  @Override
  protected String jdbcUrl() {
    return TestPostgres.jdbcUrl(database);
  }

  @Override
  protected String table() {
    return "cq_state_mirror_" + TABLES.incrementAndGet();
  }
}
