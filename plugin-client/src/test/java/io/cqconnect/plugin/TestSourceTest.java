package io.cqconnect.plugin;

import static io.cqconnect.plugin.GoPluginTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against the Go {@code test} source fixture: tables, a multi-batch sync, bad spec, kill -9. */
class TestSourceTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private PluginConnection plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  /** Every table but the paid one, which needs a CloudQuery login. */
  private static Sync.Request syncFreeTables() {
    return Sync.Request.newBuilder()
        .addTables("*")
        .addAllSkipTables(Fixtures.SOURCE_TEST_SKIP)
        .setWithErrorMessages(true)
        .build();
  }

  @Test
  void shouldListTablesWithAndWithoutDependents() {
    plugin = Fixtures.start(Fixtures.SOURCE_TEST, "tcp");
    plugin.client().init(null, true);

    assertThat(plugin.client().getTables(List.of("*"), List.of(), false))
        .extracting(TestArrow::tableName)
        .containsExactlyInAnyOrder(
            "test_some_table", "test_sub_table", "test_testdata_table", "test_paid_table");
    assertThat(plugin.client().getTables(List.of("test_some_table"), List.of(), true))
        .extracting(TestArrow::tableName)
        .containsExactly("test_some_table");
    assertThat(
            plugin
                .client()
                .getTables(List.of("*"), List.of("test_testdata_table", "test_paid_table"), false))
        .extracting(TestArrow::tableName)
        .containsExactlyInAnyOrder("test_some_table", "test_sub_table");
  }

  @Test
  void shouldSyncManyInsertsWithEveryMigrationFirst() throws Exception {
    plugin = Fixtures.start(Fixtures.SOURCE_TEST, "tcp");
    plugin.client().init(bytes("{\"num_rows\":3000,\"num_sub_rows\":1}"), false);

    SyncStream stream = plugin.client().sync(syncFreeTables());
    int migrations = 0;
    int inserts = 0;
    boolean migrateAfterInsert = false;
    Map<String, Integer> rows = new HashMap<>();
    Sync.Response m;
    while ((m = stream.poll(WAIT)) != null) {
      if (m.hasMigrateTable()) {
        migrations++;
        migrateAfterInsert |= inserts > 0;
      } else if (m.hasInsert()) {
        inserts++;
        rows.merge(
            TestArrow.tableName(m.getInsert().getRecord()),
            TestArrow.rowCount(m.getInsert().getRecord()),
            Integer::sum);
      }
    }

    assertThat(stream.isFinished()).isTrue();
    assertThat(migrations).isEqualTo(3);
    assertThat(migrateAfterInsert).isFalse();
    assertThat(rows)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("test_some_table", 3000, "test_sub_table", 3000, "test_testdata_table", 1));
    // The Go scheduler batches at most 50 rows per insert.
    assertThat(inserts).isGreaterThanOrEqualTo(6001 / 50);
  }

  @Test
  void shouldFailInitWithThePluginsMessageWhenTheSpecIsBad() {
    plugin = Fixtures.start(Fixtures.SOURCE_TEST, "unix");

    assertThatThrownBy(() -> plugin.client().init(bytes("{\"num_rows\":\"lots\"}"), false))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("Init on plugin cq-source-test (unix:/")
        .hasMessageContaining("INTERNAL")
        .hasMessageContaining("failed to unmarshal spec");
  }

  @Test
  void shouldEndTheSyncWithARetriableErrorWhenThePluginIsKilled() throws Exception {
    plugin = Fixtures.start(Fixtures.SOURCE_TEST, "tcp");
    plugin.client().init(bytes("{\"num_rows\":1000000,\"num_sub_rows\":0}"), false);
    PluginProcess process = plugin.process().orElseThrow();

    SyncStream stream = plugin.client().sync(syncFreeTables());
    for (int i = 0; i < 5; i++) {
      assertThat(stream.poll(WAIT)).isNotNull();
    }
    ProcessHandle.of(process.pid()).orElseThrow().destroyForcibly();
    RuntimeException failure = null;
    try {
      while (stream.poll(WAIT) != null) {
        // Drain what arrived before the kill.
      }
    } catch (RuntimeException e) {
      failure = e;
    }

    assertThat(failure)
        .isInstanceOf(RetriableException.class)
        .hasMessageStartingWith("Sync on plugin cq-source-test (127.0.0.1:")
        .hasMessageContaining("UNAVAILABLE")
        .hasMessageContaining("exited with code 137");
    assertThat(stream.isFinished()).isTrue();
  }
}
