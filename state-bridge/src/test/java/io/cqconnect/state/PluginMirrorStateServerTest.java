package io.cqconnect.state;

import io.cqconnect.plugin.PluginConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The mirror through a running cq-state-server (our own backend, dialled like registry: grpc). */
class PluginMirrorStateServerTest extends PluginMirrorContract {

  private static final AtomicInteger TABLES = new AtomicInteger();

  @TempDir Path dir;
  private JdbcStateStore store;
  private StateBackendServer server;

  @Override
  protected PluginConnection connect() {
    if (server == null) {
      store = new JdbcStateStore(jdbcUrl());
      try {
        server = StateBackendServer.builder(store).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return PluginConnection.dial(server.target());
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
      store.close();
    }
  }

  @Override
  protected String spec() {
    return null; // the CLI sends "null" when a destination has no spec
  }

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("server.db");
  }

  @Override
  protected String table() {
    return "cq_state_mirror_" + TABLES.incrementAndGet();
  }
}
