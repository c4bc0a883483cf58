package io.cqconnect.state;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The mirror through CloudQuery's real PostgreSQL destination plugin on a real PostgreSQL. */
class PluginMirrorPostgresTest extends PluginMirrorContract {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected PluginConnection connect() {
    return Fixtures.start(Fixtures.DEST_POSTGRESQL, "tcp");
  }

  @Override
  protected String spec() {
    return "{\"connection_string\":\"postgresql://postgres:postgres@127.0.0.1:"
        + postgres.getPort()
        + "/postgres?sslmode=disable\"}";
  }

  @Override
  protected String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  protected String table() {
    return "cq_state_mirror_" + TABLES.incrementAndGet();
  }
}
