package io.cqconnect.state;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/** A raw gRPC client of the state backend for tests: sends exactly the messages a test builds. */
final class StateTestClient implements AutoCloseable {

  private final ManagedChannel channel;
  final PluginGrpc.PluginBlockingStub plugin;
  final PluginGrpc.PluginStub async;
  final DiscoveryGrpc.DiscoveryBlockingStub discovery;

  StateTestClient(String target) {
    channel =
        Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
            .maxInboundMessageSize(StateBackendServer.DEFAULT_MAX_MESSAGE_BYTES)
            .build();
    plugin = PluginGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    async = PluginGrpc.newStub(channel);
    discovery = DiscoveryGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  static Write.Request migrate(Schema schema) {
    return Write.Request.newBuilder()
        .setMigrateTable(
            Write.MessageMigrateTable.newBuilder().setTable(ArrowIpc.schemaToBytes(schema)))
        .build();
  }

  static Write.Request migrate(String table) {
    return migrate(StateTableSchema.schema(table));
  }

  static Write.Request insert(String table, List<StateRow> rows, BufferAllocator allocator) {
    try (VectorSchemaRoot root = StateTableSchema.toRoot(table, rows, allocator)) {
      return insert(root);
    }
  }

  /**
   * The schema of a state client that keeps no versions (Go SDKs before v4.67, the Python SDK):
   * {@code key} and {@code value} only, with the table metadata.
   */
  static Schema unversionedSchema(String table) {
    Schema full = StateTableSchema.schema(table);
    return new Schema(full.getFields().subList(0, 2), full.getCustomMetadata());
  }

  /** An insert such a client sends: the two-column record of {@code key, value, key, value...}. */
  static Write.Request unversionedInsert(
      String table, BufferAllocator allocator, String... keysAndValues) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(unversionedSchema(table), allocator)) {
      VarCharVector key = (VarCharVector) root.getVector(StateTableSchema.KEY);
      VarCharVector value = (VarCharVector) root.getVector(StateTableSchema.VALUE);
      root.allocateNew();
      for (int i = 0; i < keysAndValues.length / 2; i++) {
        key.setSafe(i, keysAndValues[2 * i].getBytes(StandardCharsets.UTF_8));
        value.setSafe(i, keysAndValues[2 * i + 1].getBytes(StandardCharsets.UTF_8));
      }
      root.setRowCount(keysAndValues.length / 2);
      return insert(root);
    }
  }

  static Write.Request insert(VectorSchemaRoot root) {
    return insertBytes(ArrowIpc.recordToBytes(root));
  }

  static Write.Request insertBytes(ByteString record) {
    return Write.Request.newBuilder()
        .setInsert(Write.MessageInsert.newBuilder().setRecord(record))
        .build();
  }

  /** Sends the messages on one Write stream, half-closes and waits for the response. */
  void write(Write.Request... messages) {
    OpenWrite w = open();
    for (Write.Request m : messages) {
      w.send(m);
    }
    w.finish();
  }

  /** Opens a Write stream the test drives by hand. */
  OpenWrite open() {
    CompletableFuture<Write.Response> done = new CompletableFuture<>();
    StreamObserver<Write.Request> requests =
        async.write(
            new StreamObserver<>() {
              private Write.Response response;

              @Override
              public void onNext(Write.Response value) {
                response = value;
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(response);
              }
            });
    return new OpenWrite(requests, done);
  }

  /** All Read responses for a table. */
  List<Read.Response> read(String table) {
    List<Read.Response> out = new ArrayList<>();
    Iterator<Read.Response> it =
        plugin.read(
            Read.Request.newBuilder()
                .setTable(ArrowIpc.schemaToBytes(StateTableSchema.schema(table)))
                .build());
    it.forEachRemaining(out::add);
    return out;
  }

  /** The rows a Read of the table returns, decoded. */
  List<StateRow> readRows(String table, BufferAllocator allocator) {
    List<StateRow> rows = new ArrayList<>();
    for (Read.Response r : read(table)) {
      ArrowIpc.forEachBatch(
          r.getRecord(), allocator, root -> rows.addAll(StateTableSchema.rows(root)));
    }
    return rows;
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A Write stream in progress. */
  record OpenWrite(StreamObserver<Write.Request> requests, CompletableFuture<Write.Response> done) {
    void send(Write.Request m) {
      requests.onNext(m);
    }

    /** Half-closes and returns the response, or throws the call's StatusRuntimeException. */
    Write.Response finish() {
      requests.onCompleted();
      return await();
    }

    Write.Response await() {
      try {
        return done.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StatusRuntimeException sre) {
          throw sre;
        }
        throw new AssertionError(e.getCause());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
