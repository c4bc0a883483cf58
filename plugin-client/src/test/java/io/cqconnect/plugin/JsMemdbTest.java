package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against the JS SDK's memdb plugin (a second, independent implementation; TCP only). */
class JsMemdbTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final byte[] SPEC = "{\"concurrency\":100}".getBytes(StandardCharsets.UTF_8);

  private PluginConnection plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void shouldDiscoverAndDescribeThePlugin() {
    plugin = Fixtures.start(Fixtures.JS_MEMDB, "tcp");

    assertThat(plugin.versions()).containsExactly(3);
    assertThat(plugin.client().name()).isEqualTo("memdb");
    assertThat(plugin.client().specSchema())
        .hasValueSatisfying(s -> assertThat(s).contains("concurrency"));
  }

  @Test
  void shouldRejectTheNullSpecWithThePluginsMessage() {
    plugin = Fixtures.start(Fixtures.JS_MEMDB, "tcp");

    assertThatThrownBy(() -> plugin.client().init(null, false))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("Init on plugin cq-js-memdb (127.0.0.1:")
        .hasMessageContaining("must be object");
  }

  @Test
  void shouldSyncTheStaticTables() throws Exception {
    // gRPC's unix:<path> address: the JS SDK binds whatever address it is given.
    plugin = Fixtures.start(Fixtures.JS_MEMDB, "grpc-unix");
    assertThat(plugin.process().orElseThrow().target()).startsWith("unix:");
    plugin.client().init(SPEC, false);

    SyncStream stream = plugin.client().sync(Sync.Request.newBuilder().addTables("*").build());
    List<String> migrated = new ArrayList<>();
    Map<String, Integer> rowsPerTable = new HashMap<>();
    boolean migrateAfterInsert = false;
    Sync.Response m;
    while ((m = stream.poll(WAIT)) != null) {
      if (m.hasMigrateTable()) {
        migrated.add(TestArrow.tableName(m.getMigrateTable().getTable()));
        migrateAfterInsert |= !rowsPerTable.isEmpty();
      } else if (m.hasInsert()) {
        rowsPerTable.merge(
            TestArrow.tableName(m.getInsert().getRecord()),
            TestArrow.rowCount(m.getInsert().getRecord()),
            Integer::sum);
      }
    }

    assertThat(migrated).containsExactlyInAnyOrder("table1", "table2", "table3", "table3_child1");
    assertThat(migrateAfterInsert).isFalse();
    assertThat(rowsPerTable)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("table1", 3, "table2", 2, "table3", 2, "table3_child1", 4));
  }

  @Test
  void shouldStopTheWholeProcessTreeOnClose() {
    plugin = Fixtures.start(Fixtures.JS_MEMDB, "tcp");
    PluginProcess process = plugin.process().orElseThrow();
    List<ProcessHandle> tree = new ArrayList<>();
    List<ProcessHandle> watchers = new ArrayList<>();
    ProcessHandle.of(process.pid())
        .orElseThrow()
        .descendants()
        .forEach(h -> (PluginSupervisor.isWatcher(h) ? watchers : tree).add(h));
    tree.add(ProcessHandle.of(process.pid()).orElseThrow());

    plugin.close();

    assertThat(tree).allSatisfy(h -> assertThat(h.isAlive()).isFalse());
    // The watcher is killed too, but close() does not wait for it: it is a zombie until init,
    // its parent once the plugin is gone, reaps it.
    assertThat(watchers).hasSize(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(watchers).noneMatch(ProcessHandle::isAlive));
  }
}
