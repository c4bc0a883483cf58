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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packaged {@code cq-state-server} as a real process (run by {@code mvn verify}) serving
 * CloudQuery's Python state client and, on the same key, the Go state client inside our incremental
 * fixture plugin.
 */
class PyStateClientCqStateServerIT {

  private static final Logger log = LoggerFactory.getLogger(PyStateClientCqStateServerIT.class);
  private static final String KEY = IncrementalSync.TABLE;
  private static final byte[] FIVE_ROWS = "{\"rows_per_sync\":5}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void shouldShareTheCursorBetweenThePythonAndGoClientsInBothDirections() throws Exception {
    Path db = dir.resolve("state.db");
    try (BufferAllocator allocator = new RootAllocator();
        StateServerProcess server = new StateServerProcess("jdbc:sqlite:" + db);
        PluginConnection go = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
      go.client().init(FIVE_ROWS, false);
      PyStateClient py = new PyStateClient(server.target(), "cq_state_py", dir);

      py.set("own", "python-value");
      assertThat(py.get("own")).contains("python-value");

      py.set(KEY, "20"); // Python first: Go resumes from its cursor
      IncrementalSync sync = IncrementalSync.run(go, server.target(), "cq_state_py", allocator);
      assertThat(sync.ids()).containsExactly(21L, 22L, 23L, 24L, 25L);
      assertThat(sync.syncStarts()).containsOnly(20L);

      assertThat(py.get(KEY)).contains("25"); // and Python reads what Go wrote
    }

    try (JdbcStateStore store = new JdbcStateStore("jdbc:sqlite:" + db)) {
      List<StateRow> rows = store.read("cq_state_py");
      // Versions are logged, not asserted: how unversioned rows are versioned is about to change.
      log.info("cq-state-server rows after Python and Go wrote: {}", rows);
      assertThat(rows)
          .extracting(StateRow::key, StateRow::value)
          .containsExactlyInAnyOrder(tuple("own", "python-value"), tuple(KEY, "25"));
    }
  }

  @Test
  void shouldLetTheMostRecentWriteWinWhenPythonOverwritesTheGoCursor() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        StateServerProcess server =
            new StateServerProcess("jdbc:sqlite:" + dir.resolve("state.db"));
        PluginConnection go = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
      go.client().init(FIVE_ROWS, false);
      PyStateClient py = new PyStateClient(server.target(), "cq_state_latest", dir);

      assertThat(IncrementalSync.run(go, server.target(), "cq_state_latest", allocator).ids())
          .containsExactly(1L, 2L, 3L, 4L, 5L);
      py.set(KEY, "20");
      assertThat(py.get(KEY)).contains("20");

      IncrementalSync resumed =
          IncrementalSync.run(go, server.target(), "cq_state_latest", allocator);
      assertThat(resumed.ids()).containsExactly(21L, 22L, 23L, 24L, 25L);
      assertThat(resumed.syncStarts()).containsOnly(20L);
      assertThat(py.get(KEY)).contains("25");
    }
  }
}
