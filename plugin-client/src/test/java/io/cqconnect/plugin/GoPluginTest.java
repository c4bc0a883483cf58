package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against our real Go incremental source (plugin-sdk v4): launch, discovery, Init, Sync, crash. */
class GoPluginTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private PluginConnection plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void shouldLaunchOnAUnixSocketAndListTables() {
    plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "unix");
    PluginClient client = plugin.client();

    assertThat(plugin.target()).startsWith("unix:/");
    assertThat(plugin.versions()).contains(3);
    assertThat(client.getVersions()).containsExactly(0, 1, 2, 3);
    assertThat(client.name()).isNotBlank();
    client.init(null, true);
    List<ByteString> tables = client.getTables(List.of("*"), List.of(), false);

    assertThat(tables)
        .extracting(TestArrow::tableName)
        .containsExactlyInAnyOrder("incr_events_0", "full_items");
  }

  @Test
  void shouldFailInitWithThePluginsOwnMessageWhenTheSpecIsBad() {
    plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp");

    assertThatThrownBy(() -> plugin.client().init(bytes("{\"tables\":\"many\"}"), false))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("Init on plugin cq-source-incremental (127.0.0.1:")
        .hasMessageContaining("invalid incremental plugin spec");
  }

  @Test
  void shouldSyncEveryRowWithMigrationsFirst() throws Exception {
    plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp");
    plugin
        .client()
        .init(bytes("{\"rows_per_sync\":2000,\"batch_rows\":10,\"full_rows\":5}"), false);

    SyncStream stream = plugin.client().sync(syncAll());
    int migrations = 0;
    int inserts = 0;
    int rows = 0;
    boolean insertSeen = false;
    boolean migrateAfterInsert = false;
    Sync.Response m;
    while ((m = stream.poll(WAIT)) != null) {
      switch (m.getMessageCase()) {
        case MIGRATE_TABLE -> {
          migrations++;
          migrateAfterInsert |= insertSeen;
        }
        case INSERT -> {
          insertSeen = true;
          inserts++;
          rows += TestArrow.rowCount(m.getInsert().getRecord());
        }
        default -> {}
      }
    }

    assertThat(stream.isFinished()).isTrue();
    assertThat(migrations).isEqualTo(2);
    assertThat(migrateAfterInsert).isFalse();
    assertThat(rows).isEqualTo(2005);
    assertThat(inserts).isGreaterThan(40);
  }

  @Test
  void shouldEndTheSyncWithARetriableErrorWhenThePluginDiesMidStream() throws Exception {
    plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp");
    plugin
        .client()
        .init(bytes("{\"rows_per_sync\":100000,\"batch_rows\":10,\"exit_after_rows\":300}"), false);

    SyncStream stream = plugin.client().sync(syncAll());
    RuntimeException failure = null;
    int messages = 0;
    try {
      while (stream.poll(WAIT) != null) {
        messages++;
      }
    } catch (RuntimeException e) {
      failure = e;
    }

    assertThat(messages).isPositive();
    assertThat(failure)
        .isInstanceOf(RetriableException.class)
        .hasMessageStartingWith("Sync on plugin cq-source-incremental (127.0.0.1:")
        .hasMessageContaining("UNAVAILABLE")
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("exit_after_rows reached");
    assertThat(plugin.process().orElseThrow().exitCode()).hasValue(3);
  }

  @Test
  void shouldLeaveNoProcessBehindAfterClose() {
    plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "unix");
    PluginProcess process = plugin.process().orElseThrow();
    long pid = process.pid();

    plugin.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(process.recentLogs()).isNotEmpty();
  }

  @Test
  void shouldDialARunningPluginAsRegistryGrpcDoes() {
    try (PluginProcess server =
        PluginProcess.start(
            Fixtures.spec(Fixtures.SOURCE_INCREMENTAL, PluginNetwork.TCP).build())) {
      // Dialled right after the spawn: the readiness loop waits until it listens.
      plugin = PluginConnection.dial(server.target());

      assertThat(plugin.process()).isEmpty();
      assertThat(plugin.target()).isEqualTo(server.target());
      assertThat(plugin.versions()).contains(3);
      plugin.client().init(null, true);
      assertThat(plugin.client().getTables(List.of("full_items"), List.of(), true))
          .extracting(TestArrow::tableName)
          .containsExactly("full_items");
      plugin.close();
      // Closing a dialled connection leaves the server running.
      assertThat(server.isAlive()).isTrue();
    }
  }

  static Sync.Request syncAll() {
    return Sync.Request.newBuilder().addTables("*").setWithErrorMessages(true).build();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
