package io.cqconnect.state;

import static io.cqconnect.state.StateTestClient.insert;
import static io.cqconnect.state.StateTestClient.migrate;
import static io.cqconnect.state.StateTestClient.unversionedInsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import io.cqconnect.plugin.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code cq-state-server} jar as a real process (run by {@code mvn verify}): it starts
 * with {@code java -jar} alone, serves the Go state client and raw clients, keeps the state in
 * SQLite or PostgreSQL, stops cleanly on SIGTERM, and after a restart accepts the state writes of a
 * sync that was running.
 */
class CqStateServerIT {

  @TempDir Path dir;

  @Test
  void shouldShipNoKafkaClassesInTheStandaloneJar() throws Exception {
    io.cqconnect.plugin.testing.StandaloneJars.assertNoKafkaClasses("cq.state.server.jar");
  }

  @Test
  void shouldServeAndStopCleanlyWhenRunAsAStandaloneJar() throws Exception {
    Path db = dir.resolve("state.db");
    StateServerProcess server = new StateServerProcess("jdbc:sqlite:" + db);
    try (BufferAllocator allocator = new RootAllocator()) {
      try (StateTestClient client = new StateTestClient(server.target())) {
        assertThat(client.plugin.getName(GetName.Request.getDefaultInstance()).getName())
            .isEqualTo("cq-state-server");
        client.write(migrate("raw"), insert("raw", List.of(new StateRow("k", "v", 2)), allocator));
        assertThat(client.read("raw")).hasSize(1);
      }
      try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
        plugin.client().init("{\"rows_per_sync\":3}".getBytes(StandardCharsets.UTF_8), false);
        Sync.Request request =
            Sync.Request.newBuilder()
                .addTables("incr_events_0")
                .setBackend(
                    Sync.BackendOptions.newBuilder()
                        .setTableName("cq_state_it")
                        .setConnection(server.target()))
                .build();
        try (SyncStream stream = plugin.client().sync(request)) {
          while (stream.take() != null) {
            // drain; the state write completes before the stream ends
          }
        }
      }
    } finally {
      server.stop();
    }

    assertThat(server.output())
        .as("output of cq-state-server")
        .anyMatch(l -> l.contains("Stopping cq-state-server"));
    assertThat(server.output()).anyMatch(l -> l.contains("stopped in"));
    assertThat(server.output()).noneMatch(l -> l.contains("Exception"));
    assertThat(Files.exists(db)).isTrue();
    try (JdbcStateStore store = new JdbcStateStore("jdbc:sqlite:" + db)) {
      assertThat(store.read("raw")).containsExactly(new StateRow("k", "v", 2));
      assertThat(store.read("cq_state_it")).containsExactly(new StateRow("incr_events_0", "3", 1));
    }
  }

  @Test
  void shouldAcceptTheNextStateWriteWhenRestartedMidSyncOnSqlite() throws Exception {
    assertRestartMidSync("jdbc:sqlite:" + dir.resolve("restart.db"));
  }

  @Test
  void shouldAcceptTheNextStateWriteWhenRestartedMidSyncOnPostgres() throws Exception {
    assertRestartMidSync(TestPostgres.newDatabaseUrl("cqstateserverit"));
  }

  /**
   * A sync's state client migrated and flushed on one server process; the server is restarted; the
   * client's next flush (no migrate: it migrates only when it starts) lands on the new process. The
   * client keeps no versions (Go SDK before v4.67), so its write must also win over the version
   * stored before.
   */
  private void assertRestartMidSync(String jdbcUrl) throws Exception {
    try (BufferAllocator allocator = new RootAllocator()) {
      try (StateServerProcess first = new StateServerProcess(jdbcUrl);
          StateTestClient client = new StateTestClient(first.target())) {
        client.write(
            migrate("cq_state_restart"),
            insert("cq_state_restart", List.of(new StateRow("cursor", "a", 4)), allocator));
      }

      StateServerProcess second = new StateServerProcess(jdbcUrl);
      try (StateTestClient client = new StateTestClient(second.target())) {
        client.write(unversionedInsert("cq_state_restart", allocator, "cursor", "b"));

        assertThat(client.readRows("cq_state_restart", allocator))
            .containsExactly(new StateRow("cursor", "b", 5));
      } finally {
        second.stop();
      }
      assertThat(second.output()).noneMatch(l -> l.contains("Exception"));
    }
  }
}
