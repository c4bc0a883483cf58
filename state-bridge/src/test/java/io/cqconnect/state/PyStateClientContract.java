package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state server (JDBC store) as the backend of CloudQuery's real Python state client, which
 * writes the two-column (key, value) state table without a version, alone and sharing a cursor with
 * the Go state client inside our incremental fixture plugin.
 */
abstract class PyStateClientContract {

  private static final Logger log = LoggerFactory.getLogger(PyStateClientContract.class);
  private static final String KEY = IncrementalSync.TABLE;
  private static final byte[] FIVE_ROWS = "{\"rows_per_sync\":5}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private final BufferAllocator allocator = new RootAllocator();

  /** The database the server keeps its state in. */
  protected abstract String jdbcUrl();

  @AfterEach
  void checkMemory() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  private PyStateClient python(StateBackendServer server, String table) {
    return new PyStateClient(server.target(), table, dir);
  }

  @Test
  void shouldReadBackWhatThePythonClientWroteAndLetItsNextWriteReplaceIt() throws Exception {
    RecordingInterceptor rpcs = new RecordingInterceptor();
    try (RecordingStore store = new RecordingStore(new JdbcStateStore(jdbcUrl()));
        StateBackendServer server = StateBackendServer.builder(store).intercept(rpcs).start()) {
      PyStateClient py = python(server, "cq_state_py");

      assertThat(py.get("k")).isEmpty();
      // The Python client migrates and reads the whole table on start, without discovery.
      assertThat(rpcs.calls()).containsExactly("Plugin/Write", "Plugin/Read");
      assertThat(store.events()).containsExactly("migrate cq_state_py", "read cq_state_py -> []");

      py.set("k", "v1");
      assertThat(py.get("k")).contains("v1");
      py.set("k", "v2");
      assertThat(py.get("k")).contains("v2");

      List<StateRow> rows = store.read("cq_state_py");
      log.info("State rows after two Python writes of k: {}", rows);
      assertThat(rows).extracting(StateRow::key, StateRow::value).containsExactly(tuple("k", "v2"));
    }
  }

  @Test
  void shouldServeThePythonClientOverAUnixSocket() throws Exception {
    Path socket = dir.resolve("state.sock");
    try (JdbcStateStore store = new JdbcStateStore(jdbcUrl());
        StateBackendServer server =
            StateBackendServer.builder(store).address("unix://" + socket).start()) {
      assertThat(server.target()).isEqualTo("unix://" + socket);
      PyStateClient py = python(server, "cq_state_unix");

      py.set("k", "over-unix");

      assertThat(py.get("k")).contains("over-unix");
      assertThat(store.read("cq_state_unix"))
          .extracting(StateRow::key, StateRow::value)
          .containsExactly(tuple("k", "over-unix"));
    }
  }

  @Test
  void shouldShareTheCursorWhenPythonWritesFirstAndGoResumesFromIt() throws Exception {
    try (JdbcStateStore store = new JdbcStateStore(jdbcUrl());
        StateBackendServer server = StateBackendServer.builder(store).start();
        PluginConnection go = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
      go.client().init(FIVE_ROWS, false);
      PyStateClient py = python(server, "cq_state_shared");

      py.set(KEY, "20");
      log.info("After the Python write: {}", store.read("cq_state_shared"));
      IncrementalSync sync = IncrementalSync.run(go, server.target(), "cq_state_shared", allocator);

      assertThat(sync.ids()).containsExactly(21L, 22L, 23L, 24L, 25L);
      assertThat(sync.syncStarts()).containsOnly(20L);
      assertThat(py.get(KEY)).contains("25");
      log.info("After the Go sync: {}", store.read("cq_state_shared"));
    }
  }

  @Test
  void shouldLetPythonReadTheCursorTheGoClientWrote() throws Exception {
    try (JdbcStateStore store = new JdbcStateStore(jdbcUrl());
        StateBackendServer server = StateBackendServer.builder(store).start();
        PluginConnection go = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
      go.client().init(FIVE_ROWS, false);

      IncrementalSync sync = IncrementalSync.run(go, server.target(), "cq_state_go", allocator);

      assertThat(sync.ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(python(server, "cq_state_go").get(KEY)).contains("5");
    }
  }

  @Test
  void shouldLetTheMostRecentWriteWinWhenPythonOverwritesTheGoCursor() throws Exception {
    try (JdbcStateStore store = new JdbcStateStore(jdbcUrl());
        StateBackendServer server = StateBackendServer.builder(store).start();
        PluginConnection go = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
      go.client().init(FIVE_ROWS, false);
      PyStateClient py = python(server, "cq_state_latest");

      assertThat(IncrementalSync.run(go, server.target(), "cq_state_latest", allocator).ids())
          .containsExactly(1L, 2L, 3L, 4L, 5L);
      py.set(KEY, "20");
      log.info("After Go, then Python: {}", store.read("cq_state_latest"));
      assertThat(py.get(KEY)).contains("20");

      IncrementalSync resumed =
          IncrementalSync.run(go, server.target(), "cq_state_latest", allocator);
      assertThat(resumed.ids()).containsExactly(21L, 22L, 23L, 24L, 25L);
      assertThat(resumed.syncStarts()).containsOnly(20L);
      assertThat(py.get(KEY)).contains("25");
    }
  }
}
