package io.cqconnect.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.GetSpecSchema;
import io.cqconnect.plugin.proto.v3.GetTables;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoPluginServiceTest {

  private BufferAllocator allocator;
  private ExecutorService syncs;
  private Server server;
  private ManagedChannel channel;
  private PluginGrpc.PluginBlockingStub plugin;

  @BeforeEach
  void start() throws Exception {
    allocator = new RootAllocator();
    syncs = Executors.newCachedThreadPool();
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new DemoPluginService(allocator, syncs, StateClient::connect))
            .addService(new DemoDiscoveryService())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    plugin = PluginGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination();
    syncs.shutdownNow();
    assertThat(allocator.getAllocatedMemory()).as("Arrow memory leaked").isZero();
    allocator.close();
  }

  private void init(String spec) {
    plugin.init(Init.Request.newBuilder().setSpec(ByteString.copyFromUtf8(spec)).build());
  }

  @Test
  void shouldReportProtocol3AndItsNameWhenAsked() {
    assertThat(
            DiscoveryGrpc.newBlockingStub(channel)
                .getVersions(GetVersions.Request.getDefaultInstance())
                .getVersionsList())
        .containsExactly(3);
    assertThat(plugin.getName(GetName.Request.getDefaultInstance()).getName()).isEqualTo("demo");
    assertThat(plugin.getSpecSchema(GetSpecSchema.Request.getDefaultInstance()).getJsonSchema())
        .contains("\"events_per_sync\"");
  }

  @Test
  void shouldSyncEventsOneToFiftyAndFiveUsersWhenSpecIsNull() {
    init("null");
    SyncResult r =
        SyncResult.run(channel, Sync.Request.newBuilder().addTables("*").build(), allocator);
    assertThat(r.migrated()).containsExactly("demo_events", "demo_users");
    assertThat(r.kinds().subList(0, 2)).containsExactly("migrate", "migrate");
    assertThat(r.kinds().subList(2, r.kinds().size())).containsOnly("insert");
    assertThat(r.ids("demo_events")).isEqualTo(SyncResult.range(1, 50));
    assertThat(r.ids("demo_users")).isEqualTo(SyncResult.range(1, 5));
    // batch_rows 10: five event records and one user record.
    assertThat(r.kinds()).filteredOn("insert"::equals).hasSize(6);
  }

  @Test
  void shouldStartFromOneEverySyncWhenNoBackendIsGiven() {
    init("{\"events_per_sync\":3,\"users\":0}");
    Sync.Request request = Sync.Request.newBuilder().addTables("*").build();
    assertThat(SyncResult.run(channel, request, allocator).ids("demo_events"))
        .containsExactly(1L, 2L, 3L);
    assertThat(SyncResult.run(channel, request, allocator).ids("demo_events"))
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void shouldHonourTablesAndSkipTablesWhenListingAndSyncing() {
    init("{}");
    GetTables.Response tables =
        plugin.getTables(
            GetTables.Request.newBuilder()
                .addTables("demo_*")
                .addSkipTables("demo_events")
                .build());
    assertThat(tables.getTablesList())
        .extracting(b -> DemoTables.name(ArrowIpc.schemaFromBytes(b)))
        .containsExactly("demo_users");
    SyncResult r =
        SyncResult.run(
            channel,
            Sync.Request.newBuilder().addTables("*").addSkipTables("demo_users").build(),
            allocator);
    assertThat(r.migrated()).containsExactly("demo_events");
    assertThat(r.ids("demo_users")).isEmpty();
  }

  @Test
  void shouldFailWithInitMessageWhenSpecIsBad() {
    assertThatThrownBy(() -> init("{\"events\":1}"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL))
        .hasMessageContaining("failed to init plugin: unknown spec field 'events'");
  }

  @Test
  void shouldRefuseSyncAndGetTablesWhenNotInitialized() {
    assertThatThrownBy(
            () ->
                SyncResult.run(
                    channel, Sync.Request.newBuilder().addTables("*").build(), allocator))
        .hasMessageContaining("FAILED_PRECONDITION: plugin not initialized: call Init before Sync");
    assertThatThrownBy(
            () -> plugin.getTables(GetTables.Request.newBuilder().addTables("*").build()))
        .hasMessageContaining("call Init before GetTables");
  }

  @Test
  void shouldFailSyncClearlyWhenOnlyOneBackendOptionIsSet() {
    init("{}");
    Sync.Request request =
        Sync.Request.newBuilder()
            .addTables("*")
            .setBackend(Sync.BackendOptions.newBuilder().setTableName("cq_state"))
            .build();
    assertThatThrownBy(() -> SyncResult.run(channel, request, allocator))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("must contain both connection and table_name");
  }

  @Test
  void shouldAnswerTestConnectionFromTheSpecWhenAsked() {
    TestConnection.Response ok =
        plugin.testConnection(
            TestConnection.Request.newBuilder().setSpec(ByteString.copyFromUtf8("null")).build());
    assertThat(ok.getSuccess()).isTrue();
    TestConnection.Response bad =
        plugin.testConnection(
            TestConnection.Request.newBuilder()
                .setSpec(ByteString.copyFrom("{\"users\":-1}", StandardCharsets.UTF_8))
                .build());
    assertThat(bad.getSuccess()).isFalse();
    assertThat(bad.getFailureCode()).isEqualTo("INVALID_SPEC");
    assertThat(bad.getFailureDescription()).contains("'users' must be an integer >= 0");
  }

  @Test
  void shouldAnswerUnimplementedWhenUsedAsADestination() {
    assertThatThrownBy(
            () ->
                plugin
                    .read(
                        io.cqconnect.plugin.proto.v3.Read.Request.newBuilder()
                            .setTable(ArrowIpc.schemaToBytes(DemoTables.users()))
                            .build())
                    .hasNext())
        .hasMessageContaining("UNIMPLEMENTED");
  }
}
