package io.cqconnect.state;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.proto.v3.Close;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.GetSpecSchema;
import io.cqconnect.plugin.proto.v3.GetTables;
import io.cqconnect.plugin.proto.v3.GetVersion;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.cqconnect.plugin.proto.v3.Transform;
import io.cqconnect.plugin.proto.v3.TransformSchema;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugin protocol v3 as a state backend: a destination that only knows state tables. It does what
 * the Go state client needs ({@code Write} migrate and insert, {@code Read}) and what the CLI calls
 * on a backend destination ({@code Init}, {@code Close}, names and versions); source and
 * transformer calls are {@code UNIMPLEMENTED} with a message saying so.
 */
final class StatePluginService extends PluginGrpc.PluginImplBase {

  /** The name this backend reports. */
  static final String NAME = "cq-state-server";

  private static final Logger log = LoggerFactory.getLogger(StatePluginService.class);

  /** Rows per Read message: well under the Go client's 100 MiB limit even for long values. */
  private static final int READ_BATCH_ROWS = 10_000;

  /** Approximate payload bytes per Read message before a new batch is started. */
  private static final long READ_BATCH_BYTES = 16L * 1024 * 1024;

  private final StateStore store;
  private final StateWriteListener listener;
  private final BufferAllocator allocator;
  private final Set<String> knownTables = ConcurrentHashMap.newKeySet();
  private final AtomicLong writeCalls = new AtomicLong();

  StatePluginService(StateStore store, StateWriteListener listener, BufferAllocator allocator) {
    this.store = store;
    this.listener = listener;
    this.allocator = allocator;
  }

  StateStore store() {
    return store;
  }

  StateWriteListener listener() {
    return listener;
  }

  BufferAllocator allocator() {
    return allocator;
  }

  /** Notes a table migrated through this server, on any stream. */
  void migrated(String table) {
    knownTables.add(table);
  }

  /**
   * Whether an insert into {@code table} is accepted: the table was migrated through this server,
   * or it exists in the store. The store counts because a CloudQuery destination accepts an insert
   * into a table that is in its database: after cq-state-server restarts mid-sync, the plugin's
   * state client writes again without migrating (it migrates only when it starts).
   */
  boolean isKnown(String table) {
    if (knownTables.contains(table)) {
      return true;
    }
    if (store.exists(table)) {
      knownTables.add(table);
      return true;
    }
    return false;
  }

  @Override
  public void getName(GetName.Request request, StreamObserver<GetName.Response> out) {
    log.debug("RPC Plugin.GetName");
    out.onNext(GetName.Response.newBuilder().setName(NAME).build());
    out.onCompleted();
  }

  @Override
  public void getVersion(GetVersion.Request request, StreamObserver<GetVersion.Response> out) {
    log.debug("RPC Plugin.GetVersion");
    out.onNext(GetVersion.Response.newBuilder().setVersion(ProjectVersion.get()).build());
    out.onCompleted();
  }

  @Override
  public void getSpecSchema(
      GetSpecSchema.Request request, StreamObserver<GetSpecSchema.Response> out) {
    // No spec: the backend is configured on its command line, whatever the CLI sends is accepted.
    out.onNext(GetSpecSchema.Response.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void init(Init.Request request, StreamObserver<Init.Response> out) {
    log.debug(
        "RPC Plugin.Init ({} spec bytes, no_connection={})",
        request.getSpec().size(),
        request.getNoConnection());
    out.onNext(Init.Response.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void getTables(GetTables.Request request, StreamObserver<GetTables.Response> out) {
    log.debug("RPC Plugin.GetTables -> []");
    out.onNext(GetTables.Response.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void sync(Sync.Request request, StreamObserver<Sync.Response> out) {
    out.onError(
        Status.UNIMPLEMENTED
            .withDescription(
                NAME
                    + " is a state backend (a destination for state tables), not a source:"
                    + " Sync is not supported")
            .asRuntimeException());
  }

  @Override
  public void read(Read.Request request, StreamObserver<Read.Response> out) {
    String table = null;
    try {
      table = StateTableSchema.tableName(ArrowIpc.schemaFromBytes(request.getTable()));
      List<StateRow> rows = store.read(table);
      int messages = 0;
      int from = 0;
      while (from < rows.size()) {
        int to = batchEnd(rows, from);
        try (VectorSchemaRoot root =
            StateTableSchema.toRoot(table, rows.subList(from, to), allocator)) {
          out.onNext(Read.Response.newBuilder().setRecord(ArrowIpc.recordToBytes(root)).build());
        }
        messages++;
        from = to;
      }
      log.debug(
          "RPC Plugin.Read '{}' -> {} rows in {} messages: {}", table, rows.size(), messages, rows);
      out.onCompleted();
    } catch (RuntimeException e) {
      var status =
          StateStatus.of(e, table == null ? "Read" : "Read of state table '" + table + "'");
      log.debug(
          "RPC Plugin.Read failed: {} {}",
          status.getStatus().getCode(),
          status.getStatus().getDescription());
      out.onError(status);
    }
  }

  private static int batchEnd(List<StateRow> rows, int from) {
    long bytes = 0;
    int to = from;
    while (to < rows.size()
        && to - from < READ_BATCH_ROWS
        && (to == from || bytes < READ_BATCH_BYTES)) {
      StateRow row = rows.get(to);
      bytes += row.key().length() + (row.value() == null ? 0 : row.value().length()) + 8L;
      to++;
    }
    return to;
  }

  @Override
  public StreamObserver<Write.Request> write(StreamObserver<Write.Response> out) {
    return new StateWriteCall(this, out, writeCalls.incrementAndGet());
  }

  @Override
  public StreamObserver<Transform.Request> transform(StreamObserver<Transform.Response> out) {
    out.onError(
        Status.UNIMPLEMENTED
            .withDescription(
                NAME + " is a state backend, not a transformer: Transform is not supported")
            .asRuntimeException());
    return new StreamObserver<>() {
      @Override
      public void onNext(Transform.Request value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  @Override
  public void transformSchema(
      TransformSchema.Request request, StreamObserver<TransformSchema.Response> out) {
    out.onError(
        Status.UNIMPLEMENTED
            .withDescription(
                NAME + " is a state backend, not a transformer: TransformSchema is not supported")
            .asRuntimeException());
  }

  @Override
  public void close(Close.Request request, StreamObserver<Close.Response> out) {
    // Other clients may still use this backend: Close is acknowledged, nothing is released.
    log.debug("RPC Plugin.Close");
    out.onNext(Close.Response.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void testConnection(
      TestConnection.Request request, StreamObserver<TestConnection.Response> out) {
    log.debug("RPC Plugin.TestConnection");
    out.onNext(TestConnection.Response.newBuilder().setSuccess(true).build());
    out.onCompleted();
  }
}
