package io.cqconnect.state;

import static io.cqconnect.state.StateTestClient.insert;
import static io.cqconnect.state.StateTestClient.migrate;
import static io.cqconnect.state.StateTestClient.unversionedInsert;
import static io.cqconnect.state.StateTestClient.unversionedSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The state server over a JDBC store, as {@code cq-state-server} runs it, driven by raw gRPC
 * clients that send what CloudQuery's state clients send: rows without versions win like the newest
 * write, and a restarted server accepts inserts into tables its database holds.
 */
abstract class StateServerDatabaseContract {

  private static final AtomicInteger TABLES = new AtomicInteger();

  private final BufferAllocator allocator = new RootAllocator();

  /** The database the servers keep their state in (the same one for the whole test). */
  protected abstract String jdbcUrl();

  /** A fresh table name, so tests sharing a database never see each other's rows. */
  private static String table() {
    return "cq_state_server_t" + TABLES.incrementAndGet();
  }

  @AfterEach
  void checkMemory() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldReturnTheUnversionedWriteWhenAVersionedWriterStoredAHigherVersion() throws Exception {
    String t = table();
    try (Running server = new Running(jdbcUrl())) {
      server.client.write(
          migrate(t), insert(t, List.of(new StateRow("cursor", "versioned", 5)), allocator));

      server.client.write(
          migrate(unversionedSchema(t)), unversionedInsert(t, allocator, "cursor", "unversioned"));

      assertThat(server.client.readRows(t, allocator))
          .containsExactly(new StateRow("cursor", "unversioned", 6));
    }
  }

  @Test
  void shouldAcceptAnInsertWithoutMigrateWhenTheServerRestartedMidSync() throws Exception {
    String t = table();
    try (Running first = new Running(jdbcUrl())) {
      first.client.write(migrate(t), insert(t, List.of(new StateRow("cursor", "a", 1)), allocator));
    }

    try (Running second = new Running(jdbcUrl())) {
      second.client.write(insert(t, List.of(new StateRow("cursor", "b", 2)), allocator));
      assertThat(second.client.readRows(t, allocator))
          .containsExactly(new StateRow("cursor", "b", 2));

      second.client.write(unversionedInsert(t, allocator, "cursor", "c"));
      assertThat(second.client.readRows(t, allocator))
          .containsExactly(new StateRow("cursor", "c", 3));
    }
  }

  @Test
  void shouldAcceptAnUnversionedInsertIntoATableOfAnSdkBeforeVersionsAfterARestart()
      throws Exception {
    String t = table();
    // As CloudQuery's destinations left it for an SDK before v4.67: key and value only.
    try (Connection conn = DriverManager.getConnection(jdbcUrl());
        Statement st = conn.createStatement()) {
      st.execute(
          "CREATE TABLE \""
              + t
              + "\" (\"key\" text NOT NULL, \"value\" text, PRIMARY KEY (\"key\"))");
      st.execute("INSERT INTO \"" + t + "\" (\"key\", \"value\") VALUES ('cursor', 'old')");
    }

    try (Running server = new Running(jdbcUrl())) {
      server.client.write(unversionedInsert(t, allocator, "cursor", "new"));

      assertThat(server.client.readRows(t, allocator))
          .containsExactly(new StateRow("cursor", "new", 1));
    }
  }

  @Test
  void shouldRejectWithFailedPreconditionNamingTheTableWhenItExistsNowhere() throws Exception {
    String t = table();
    try (Running server = new Running(jdbcUrl())) {
      assertThatThrownBy(
              () ->
                  server.client.write(
                      insert(t, List.of(new StateRow("cursor", "x", 1)), allocator)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription())
                    .contains("'" + t + "'")
                    .contains("does not have")
                    .contains("backend_options.table_name");
              });
      assertThat(server.store.exists(t)).as("a rejected insert creates no table").isFalse();
    }
  }

  /** One server process's worth: a JDBC store, the server on it, and a client. */
  private static final class Running implements AutoCloseable {
    final JdbcStateStore store;
    final StateBackendServer server;
    final StateTestClient client;

    Running(String jdbcUrl) throws Exception {
      store = new JdbcStateStore(jdbcUrl);
      server = StateBackendServer.builder(store).start();
      client = new StateTestClient(server.target());
    }

    @Override
    public void close() {
      client.close();
      server.close();
      store.close();
    }
  }
}
