package io.cqconnect.state;

import static io.cqconnect.state.StateTestClient.insert;
import static io.cqconnect.state.StateTestClient.migrate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.cqconnect.plugin.proto.v3.Close;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.GetTables;
import io.cqconnect.plugin.proto.v3.GetVersion;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state backend over real loopback gRPC, item by item of the protocol sheet's checklist. */
class StateBackendServerTest {

  private static final String TABLE = "cq_state_test";

  private final BufferAllocator allocator = new RootAllocator();
  private final MemoryStateStore store = new MemoryStateStore();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private StateBackendServer server;
  private StateTestClient client;

  @BeforeEach
  void start() throws Exception {
    server =
        StateBackendServer.builder(store)
            .listener((table, rows) -> heard.add(table + ":" + rows))
            .start();
    client = new StateTestClient(server.target());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldListOnLoopbackWithAFreePortWhenNoAddressIsGiven() {
    assertThat(server.target()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(server.port()).isPositive();
  }

  @Test
  void shouldListOnlyProtocol3WhenAskedForVersions() {
    GetVersions.Response r = client.discovery.getVersions(GetVersions.Request.getDefaultInstance());

    assertThat(r.getVersionsList()).containsExactly(3);
  }

  @Test
  void shouldAnswerTheCallsTheCliMakesOnABackendDestination() {
    client.plugin.init(Init.Request.newBuilder().setSpec(ByteString.copyFromUtf8("null")).build());
    client.plugin.init(
        Init.Request.newBuilder().setSpec(ByteString.copyFromUtf8("{nonsense")).build());

    assertThat(client.plugin.getName(GetName.Request.getDefaultInstance()).getName())
        .isEqualTo("cq-state-server");
    assertThat(client.plugin.getVersion(GetVersion.Request.getDefaultInstance()).getVersion())
        .isEqualTo(ProjectVersion.get())
        .matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(client.plugin.getTables(GetTables.Request.getDefaultInstance()).getTablesCount())
        .isZero();
    assertThat(
            client.plugin.testConnection(TestConnection.Request.getDefaultInstance()).getSuccess())
        .isTrue();
    assertThat(client.plugin.close(Close.Request.getDefaultInstance())).isNotNull();
  }

  @Test
  void shouldRefuseSyncWithUnimplementedWhenCalledAsASource() {
    assertThatThrownBy(() -> client.plugin.sync(Sync.Request.getDefaultInstance()).hasNext())
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(e.getStatus().getDescription()).contains("not a source");
            });
  }

  @Test
  void shouldAcceptInsertWithoutMigrateWhenAnotherStreamMigratedTheTable() {
    client.write(migrate(TABLE));
    client.write(insert(TABLE, List.of(new StateRow("incr_events_0", "5", 1)), allocator));

    assertThat(store.read(TABLE)).containsExactly(new StateRow("incr_events_0", "5", 1));
    assertThat(heard).containsExactly(TABLE + ":[" + new StateRow("incr_events_0", "5", 1) + "]");
  }

  @Test
  void shouldFailWithFailedPreconditionWhenTheTableExistsNowhere() {
    Write.Request orphan = insert("never_migrated", List.of(new StateRow("k", "v", 1)), allocator);

    assertThatThrownBy(() -> client.write(orphan))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription())
                  .contains("'never_migrated'")
                  .contains("does not have")
                  .contains("restart the sync");
            });
    assertThat(store.read("never_migrated")).isEmpty();
  }

  @Test
  void shouldAcceptZeroRowInsertAndStillTellTheListener() {
    client.write(migrate(TABLE), insert(TABLE, List.of(), allocator));

    assertThat(store.read(TABLE)).isEmpty();
    assertThat(heard).containsExactly(TABLE + ":[]");
  }

  @Test
  void shouldServeConcurrentWriteStreamsWhenOneStaysOpen() {
    client.write(migrate(TABLE));
    StateTestClient.OpenWrite longLived = client.open(); // like the CLI's stream for a whole sync
    longLived.send(insert(TABLE, List.of(new StateRow("a", "1", 1)), allocator));

    client.write(insert(TABLE, List.of(new StateRow("b", "2", 1)), allocator));
    assertThat(store.read(TABLE)).contains(new StateRow("b", "2", 1));

    longLived.send(insert(TABLE, List.of(new StateRow("a", "3", 2)), allocator));
    longLived.finish();
    assertThat(store.read(TABLE))
        .containsExactlyInAnyOrder(new StateRow("a", "3", 2), new StateRow("b", "2", 1));
  }

  @Test
  void shouldKeepHigherVersionWhenALowerOneArrivesLater() {
    client.write(migrate(TABLE), insert(TABLE, List.of(new StateRow("k", "new", 5)), allocator));
    client.write(insert(TABLE, List.of(new StateRow("k", "old", 4)), allocator));

    assertThat(store.read(TABLE)).containsExactly(new StateRow("k", "new", 5));
  }

  @Test
  void shouldReturnKeyValueVersionAsUtf8Utf8Uint64InThatOrderWhenRead() {
    store.write(TABLE, List.of(new StateRow("k1", "v1", 3), new StateRow("k2", null, 1)));

    List<Read.Response> responses = client.read(TABLE);

    assertThat(responses).hasSize(1);
    List<String> cells = new ArrayList<>();
    ArrowIpc.forEachBatch(
        responses.get(0).getRecord(),
        allocator,
        root -> {
          Schema s = root.getSchema();
          assertThat(s.getFields())
              .extracting(Field::getName)
              .containsExactly("key", "value", "version");
          assertThat(s.getFields())
              .extracting(Field::getType)
              .containsExactly(
                  ArrowType.Utf8.INSTANCE, ArrowType.Utf8.INSTANCE, new ArrowType.Int(64, false));
          assertThat(s.getCustomMetadata()).containsEntry(CqMetadata.TABLE_NAME, TABLE);
          VarCharVector key = (VarCharVector) root.getVector(0);
          VarCharVector value = (VarCharVector) root.getVector(1);
          UInt8Vector version = (UInt8Vector) root.getVector(2);
          for (int i = 0; i < root.getRowCount(); i++) {
            cells.add(
                key.getObject(i)
                    + "="
                    + (value.isNull(i) ? "null" : value.getObject(i).toString())
                    + "@"
                    + version.get(i));
          }
        });
    assertThat(cells).containsExactlyInAnyOrder("k1=v1@3", "k2=null@1");
  }

  @Test
  void shouldSplitLargeStateIntoOneBatchPerMessageWhenRead() {
    List<StateRow> rows = new ArrayList<>();
    for (int i = 0; i < 25_000; i++) {
      rows.add(new StateRow("key-" + i, "value-" + i, i));
    }
    store.write(TABLE, rows);

    List<Read.Response> responses = client.read(TABLE);

    assertThat(responses).hasSize(3);
    List<Integer> batchesPerMessage = new ArrayList<>();
    int total = 0;
    for (Read.Response r : responses) {
      int[] batches = {0};
      int[] count = {0};
      ArrowIpc.forEachBatch(
          r.getRecord(),
          allocator,
          root -> {
            batches[0]++;
            count[0] += root.getRowCount();
          });
      batchesPerMessage.add(batches[0]);
      total += count[0];
    }
    assertThat(batchesPerMessage).containsOnly(1);
    assertThat(total).isEqualTo(25_000);
  }

  @Test
  void shouldReturnAnEmptyStreamWhenTheTableIsUnknown() {
    assertThat(client.read("nothing_here")).isEmpty();
  }

  @Test
  void shouldStoreTheTwoColumnInsertOfSdksBeforeVersionsAsTheNewestVersion() {
    client.write(
        migrate(TABLE), insert(TABLE, List.of(new StateRow("k", "versioned", 5)), allocator));

    client.write(
        migrate(StateTestClient.unversionedSchema(TABLE)),
        StateTestClient.unversionedInsert(TABLE, allocator, "k", "unversioned"));

    assertThat(store.read(TABLE)).containsExactly(new StateRow("k", "unversioned", 6));
    assertThat(client.readRows(TABLE, allocator))
        .containsExactly(new StateRow("k", "unversioned", 6));
    assertThat(heard)
        .containsExactly(
            TABLE + ":[" + new StateRow("k", "versioned", 5) + "]",
            TABLE + ":[" + new StateRow("k", "unversioned", 6) + "]");
  }

  @Test
  void shouldRejectMigrateWithInvalidArgumentNamingTheProblemWhenSchemaIsNotAStateTable() {
    Schema wrongVersion =
        new Schema(
            List.of(
                text("key"),
                text("value"),
                new Field("version", FieldType.nullable(new ArrowType.Int(32, true)), null)),
            Map.of(CqMetadata.TABLE_NAME, TABLE));
    Schema noValue = new Schema(List.of(text("key")), Map.of(CqMetadata.TABLE_NAME, TABLE));
    Schema extra =
        new Schema(
            List.of(text("_cq_id"), text("key"), text("value")),
            Map.of(CqMetadata.TABLE_NAME, TABLE));
    Schema noName = new Schema(List.of(text("key"), text("value")));

    assertInvalid(wrongVersion, "column 'version'", "expected uint64");
    assertInvalid(noValue, "lacks the column 'value'");
    assertInvalid(extra, "unexpected column '_cq_id'");
    assertInvalid(noName, "cq:table_name");
  }

  private void assertInvalid(Schema schema, String... fragments) {
    assertThatThrownBy(() -> client.write(migrate(schema)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains(fragments);
            });
  }

  private static Field text(String name) {
    return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
  }

  @Test
  void shouldRejectGarbageArrowWithInvalidArgument() {
    Write.Request garbage =
        StateTestClient.insertBytes(ByteString.copyFromUtf8("this is not arrow at all"));

    assertThatThrownBy(() -> client.write(migrate(TABLE), garbage))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .contains("Write insert failed")
                  .contains("Arrow");
            });
  }

  @Test
  void shouldRefuseDeleteStaleWithUnimplemented() {
    Write.Request delete =
        Write.Request.newBuilder()
            .setDelete(Write.MessageDeleteStale.newBuilder().setTableName(TABLE))
            .build();

    assertThatThrownBy(() -> client.write(delete))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void shouldTellTheListenerOnlyAfterTheStoreHoldsTheRows() {
    List<List<StateRow>> seenInStore = new CopyOnWriteArrayList<>();
    try (StateBackendServer s =
            StateBackendServer.builder(store)
                .listener((table, rows) -> seenInStore.add(store.read(table)))
                .start();
        StateTestClient c = new StateTestClient(s.target())) {
      c.write(migrate(TABLE), insert(TABLE, List.of(new StateRow("k", "v", 1)), allocator));
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    assertThat(seenInStore).containsExactly(List.of(new StateRow("k", "v", 1)));
  }

  @Test
  void shouldFailTheWriteWithUnavailableWhenTheStoreCannotWriteForNow() throws Exception {
    StateStore down =
        new StateStore() {
          @Override
          public void migrate(String table) {}

          @Override
          public List<StateRow> read(String table) {
            return List.of();
          }

          @Override
          public void write(String table, List<StateRow> rows) {
            throw new StateStoreException("database is restarting", null, true);
          }

          @Override
          public List<StateRow> writeUnversioned(String table, List<StateRow> rows) {
            throw new StateStoreException("database is restarting", null, true);
          }

          @Override
          public boolean exists(String table) {
            return true;
          }

          @Override
          public void close() {}
        };
    try (StateBackendServer s = StateBackendServer.builder(down).start();
        StateTestClient c = new StateTestClient(s.target())) {
      Write.Request rows = insert(TABLE, List.of(new StateRow("k", "v", 1)), allocator);

      assertThatThrownBy(() -> c.write(migrate(TABLE), rows))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).contains("database is restarting");
              });
    }
  }

  @Test
  void shouldFailTheWriteWithInternalWhenTheListenerThrows() throws Exception {
    try (StateBackendServer s =
            StateBackendServer.builder(store)
                .listener(
                    (table, rows) -> {
                      throw new IllegalStateException("barrier is closed");
                    })
                .start();
        StateTestClient c = new StateTestClient(s.target())) {
      Write.Request rows = insert(TABLE, List.of(new StateRow("k", "v", 1)), allocator);

      assertThatThrownBy(() -> c.write(migrate(TABLE), rows))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                assertThat(e.getStatus().getDescription()).contains("barrier is closed");
              });
    }
  }

  @Test
  void shouldServeOnAUnixSocketWhenGivenAUnixAddress(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("state.sock");
    try (StateBackendServer s =
            StateBackendServer.builder(store).address("unix://" + socket).start();
        StateTestClient c = new StateTestClient(s.target())) {
      assertThat(s.target()).isEqualTo("unix://" + socket.toAbsolutePath());
      assertThat(
              c.discovery.getVersions(GetVersions.Request.getDefaultInstance()).getVersionsList())
          .containsExactly(3);
      c.write(migrate(TABLE), insert(TABLE, List.of(new StateRow("u", "1", 1)), allocator));
    }
    assertThat(socket).doesNotExist();
    assertThat(store.read(TABLE)).containsExactly(new StateRow("u", "1", 1));
  }

  @Test
  void shouldRejectAnAddressWithoutPort() {
    assertThatThrownBy(() -> StateBackendServer.builder(store).address("localhost").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no port");
  }
}
