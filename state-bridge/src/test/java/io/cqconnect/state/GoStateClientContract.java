package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone state server (JDBC store) as the backend of CloudQuery's real Go state client,
 * inside our incremental fixture plugin: cursors are saved, resumed from, and survive a restart of
 * the server.
 */
abstract class GoStateClientContract {

  private static final Logger log = LoggerFactory.getLogger(GoStateClientContract.class);
  private static final String STATE_TABLE = "cq_state_test";
  private static final String IDLE_TABLE = "cq_state_idle";
  private static final String TABLE = IncrementalSync.TABLE;

  private final BufferAllocator allocator = new RootAllocator();

  /** The database the server keeps its state in. */
  protected abstract String jdbcUrl();

  @AfterEach
  void checkMemory() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldResumeFromTheStoredCursorWhenTheGoStateClientSyncsAgainstTheServer() throws Exception {
    RecordingInterceptor rpcs = new RecordingInterceptor();
    RecordingStore store = new RecordingStore(new JdbcStateStore(jdbcUrl()));
    List<Long> versions = new ArrayList<>();
    try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
      plugin.client().init("{\"rows_per_sync\":5}".getBytes(StandardCharsets.UTF_8), false);

      try (StateBackendServer server = StateBackendServer.builder(store).intercept(rpcs).start()) {
        IncrementalSync first = sync(plugin, server.target(), STATE_TABLE);
        assertThat(first.ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(first.syncStarts()).containsOnly(0L);
        log.info("Go state client RPCs during sync 1: {}", rpcs.calls());
        log.info("Store calls during sync 1: {}", store.events());
        assertThat(rpcs.calls())
            .containsExactly(
                "Discovery/GetVersions", "Plugin/Write", "Plugin/Read", "Plugin/Write");
        assertThat(store.events()).hasSize(3);
        assertThat(store.events().get(0)).isEqualTo("migrate " + STATE_TABLE);
        assertThat(store.events().get(1)).isEqualTo("read " + STATE_TABLE + " -> []");
        assertThat(store.events().get(2))
            .startsWith("write " + STATE_TABLE + " [StateRow[key=" + TABLE + ", value=5, version=");
        versions.add(versionOf(store.read(STATE_TABLE)));

        IncrementalSync second = sync(plugin, server.target(), STATE_TABLE);
        assertThat(second.ids()).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(second.syncStarts()).containsOnly(5L);
        versions.add(versionOf(store.read(STATE_TABLE)));
      }
      store.close();

      // A new server process on the same database: the state must come back from storage.
      RecordingInterceptor rpcsAfterRestart = new RecordingInterceptor();
      try (JdbcStateStore reopened = new JdbcStateStore(jdbcUrl());
          StateBackendServer server =
              StateBackendServer.builder(reopened).intercept(rpcsAfterRestart).start()) {
        IncrementalSync third = sync(plugin, server.target(), STATE_TABLE);
        assertThat(third.ids()).containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(third.syncStarts()).containsOnly(10L);
        assertThat(rpcsAfterRestart.calls())
            .containsExactly(
                "Discovery/GetVersions", "Plugin/Write", "Plugin/Read", "Plugin/Write");
        versions.add(versionOf(reopened.read(STATE_TABLE)));
      }
    }

    try (JdbcStateStore check = new JdbcStateStore(jdbcUrl())) {
      List<StateRow> rows = check.read(STATE_TABLE);
      assertThat(rows)
          .extracting(StateRow::key, StateRow::value)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(TABLE, "15"));
    }
    log.info("State versions after syncs 1, 2, 3: {}", versions);
    assertThat(versions).isSorted().doesNotHaveDuplicates().allMatch(v -> v > 0);
  }

  @Test
  void shouldAcceptTheEmptyFlushWhenTheCursorDidNotMove() throws Exception {
    RecordingStore store = new RecordingStore(new JdbcStateStore(jdbcUrl()));
    store.write(IDLE_TABLE, List.of(new StateRow(TABLE, "7", 4)));
    try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp");
        StateBackendServer server = StateBackendServer.builder(store).start()) {
      plugin.client().init("{\"rows_per_sync\":0}".getBytes(StandardCharsets.UTF_8), false);

      IncrementalSync result = sync(plugin, server.target(), IDLE_TABLE);

      assertThat(result.ids()).isEmpty();
      log.info("Store calls during a sync with nothing new: {}", store.events());
      assertThat(store.events()).contains("write " + IDLE_TABLE + " []");
      assertThat(store.read(IDLE_TABLE)).containsExactly(new StateRow(TABLE, "7", 4));
    } finally {
      store.close();
    }
  }

  private static long versionOf(List<StateRow> rows) {
    assertThat(rows).hasSize(1);
    return rows.get(0).version();
  }

  private IncrementalSync sync(PluginConnection plugin, String backend, String stateTable)
      throws InterruptedException {
    return IncrementalSync.run(plugin, backend, stateTable, allocator);
  }
}
