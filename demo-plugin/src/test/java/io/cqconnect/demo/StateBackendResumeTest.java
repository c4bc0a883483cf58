package io.cqconnect.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.state.JdbcStateStore;
import io.cqconnect.state.StateBackendServer;
import io.cqconnect.state.StateRow;
import io.cqconnect.state.StateStore;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo plugin's state client against cq-connect's real state backend server ({@link
 * StateBackendServer} on loopback TCP, SQLite through JDBC): the demo server and the backend are
 * separate gRPC servers, as in production.
 */
class StateBackendResumeTest {

  private static final String STATE_TABLE = "cq_state_demo";

  @TempDir Path dir;

  private BufferAllocator allocator;
  private StateStore store;
  private StateBackendServer backend;
  private DemoServer demo;
  private ManagedChannel channel;
  private final List<List<StateRow>> writes = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    allocator = new RootAllocator();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (demo != null) {
      demo.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (store != null) {
      store.close();
    }
    allocator.close();
  }

  private void startServers(
      StateStore stateStore, String backendAddress, boolean unix, String demoAddress)
      throws Exception {
    store = stateStore;
    backend =
        StateBackendServer.builder(store)
            .address(backendAddress)
            .listener((table, rows) -> writes.add(rows))
            .start();
    demo = DemoServer.start(unix, demoAddress);
    String target = demo.target();
    channel =
        target.startsWith("unix:")
            ? GrpcTargets.dial(target).channel()
            : NettyChannelBuilder.forTarget(target).usePlaintext().build();
  }

  private void init(String spec) {
    PluginGrpc.newBlockingStub(channel)
        .init(Init.Request.newBuilder().setSpec(ByteString.copyFromUtf8(spec)).build());
  }

  private SyncResult sync() {
    return SyncResult.run(
        channel,
        Sync.Request.newBuilder()
            .addTables("*")
            .setWithErrorMessages(true)
            .setBackend(
                Sync.BackendOptions.newBuilder()
                    .setTableName(STATE_TABLE)
                    .setConnection(backend.target()))
            .build(),
        allocator);
  }

  @Test
  void shouldEmitOnlyNewEventsWhenSyncedTwiceAgainstTheStateBackend() throws Exception {
    startServers(
        new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db")),
        "127.0.0.1:0",
        false,
        "127.0.0.1:0");
    init("{\"events_per_sync\":20,\"batch_rows\":10,\"users\":2}");

    SyncResult first = sync();
    assertThat(first.ids("demo_events")).isEqualTo(SyncResult.range(1, 20));
    assertThat(first.ids("demo_users")).containsExactly(1L, 2L);
    // Two batches: SetKey twice (versions 1 and 2), one Flush at the end of the table.
    assertThat(store.read(STATE_TABLE))
        .containsExactly(new StateRow("demo_events", "2026-01-01T00:00:20Z", 2));
    assertThat(writes).hasSize(1);

    SyncResult second = sync();
    assertThat(second.ids("demo_events")).isEqualTo(SyncResult.range(21, 40));
    assertThat(second.ids("demo_users")).containsExactly(1L, 2L);
    assertThat(store.read(STATE_TABLE))
        .containsExactly(new StateRow("demo_events", "2026-01-01T00:00:40Z", 4));
    assertThat(writes).hasSize(2);
    assertThat(writes.get(1))
        .containsExactly(new StateRow("demo_events", "2026-01-01T00:00:40Z", 4));
  }

  @Test
  void shouldResumeOverUnixSocketsWhenBothServersListenOnThem() throws Exception {
    startServers(
        new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db")),
        "unix://" + dir.resolve("state.sock"),
        true,
        dir.resolve("demo.sock").toString());
    assertThat(demo.target()).isEqualTo("unix://" + dir.resolve("demo.sock"));
    init("{\"events_per_sync\":5}");
    assertThat(sync().ids("demo_events")).isEqualTo(SyncResult.range(1, 5));
    assertThat(sync().ids("demo_events")).isEqualTo(SyncResult.range(6, 10));
    assertThat(store.read(STATE_TABLE))
        .extracting(StateRow::value)
        .containsExactly("2026-01-01T00:00:10Z");
  }

  @Test
  void shouldStartAfterACursorWrittenByAnotherRunnerWhenTheTableAlreadyHoldsOne() throws Exception {
    startServers(
        new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db")),
        "127.0.0.1:0",
        false,
        "127.0.0.1:0");
    store.migrate(STATE_TABLE);
    store.write(STATE_TABLE, List.of(new StateRow("demo_events", "2026-01-01T00:01:40Z", 7)));
    init("{\"events_per_sync\":3}");
    assertThat(sync().ids("demo_events")).containsExactly(101L, 102L, 103L);
    assertThat(store.read(STATE_TABLE))
        .containsExactly(new StateRow("demo_events", "2026-01-01T00:01:43Z", 8));
  }

  @Test
  void shouldFlushAnEmptyInsertWhenNoEventIsDue() throws Exception {
    startServers(
        new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db")),
        "127.0.0.1:0",
        false,
        "127.0.0.1:0");
    init("{\"events_per_sync\":0,\"users\":0}");
    SyncResult r = sync();
    assertThat(r.ids("demo_events")).isEmpty();
    assertThat(writes).containsExactly(List.of());
    assertThat(store.read(STATE_TABLE)).isEmpty();
  }

  @Test
  void shouldReportATableErrorAndSyncTheRestWhenTheStoredCursorIsGarbage() throws Exception {
    startServers(
        new JdbcStateStore("jdbc:sqlite:" + dir.resolve("state.db")),
        "127.0.0.1:0",
        false,
        "127.0.0.1:0");
    store.migrate(STATE_TABLE);
    store.write(STATE_TABLE, List.of(new StateRow("demo_events", "yesterday", 1)));
    init("{\"users\":3}");
    SyncResult r = sync();
    assertThat(r.ids("demo_events")).isEmpty();
    assertThat(r.ids("demo_users")).containsExactly(1L, 2L, 3L);
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getTableName()).isEqualTo("demo_events");
              assertThat(e.getError())
                  .contains("stored cursor 'yesterday' of state key 'demo_events'");
            });
  }
}
