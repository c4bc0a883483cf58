package io.cqconnect.demo;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A state client that behaves like the CloudQuery Go SDK's ({@code state.NewConnectedClient}, SDK
 * v4.67 and later), so the demo plugin exercises a state backend the way production plugins do: on
 * connect it calls {@code GetVersions} (3 must be listed), sends the state table in a {@code Write}
 * stream with one {@code migrate_table}, and {@code Read}s every row back, keeping the highest
 * version per key. {@link #getKey} and {@link #setKey} work in memory; {@link #flush} opens a new
 * {@code Write} stream with one {@code insert} of the changed keys (a zero-row record when nothing
 * changed). {@link #close} only closes the channel, it does not flush. Without backend options
 * every call is a no-op. Not thread-safe: one sync uses it.
 */
class StateClient implements AutoCloseable {

  static final long CALL_TIMEOUT_SECONDS = 60;

  private final GrpcTargets.Dialed dialed;
  private final PluginGrpc.PluginStub plugin;
  private final BufferAllocator allocator;
  private final Schema schema;
  private final ByteString schemaBytes;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();

  /** A stored value and its version. */
  record Entry(String value, long version) {}

  private StateClient() {
    this.dialed = null;
    this.plugin = null;
    this.allocator = null;
    this.schema = null;
    this.schemaBytes = null;
  }

  private StateClient(GrpcTargets.Dialed dialed, BufferAllocator allocator, String table) {
    this.dialed = dialed;
    this.plugin = PluginGrpc.newStub(dialed.channel());
    this.allocator = allocator;
    this.schema = schema(table);
    this.schemaBytes = ArrowIpc.schemaToBytes(schema);
  }

  /**
   * Connects to the backend named in {@code Sync.Request.backend} and loads its state; without
   * backend options, a client that stores nothing.
   *
   * @throws IllegalArgumentException if only one of table name and connection is set
   * @throws IllegalStateException if the backend cannot be used, with the reason
   */
  static StateClient connect(Sync.BackendOptions backend, BufferAllocator allocator) {
    String table = backend.getTableName();
    String connection = backend.getConnection();
    if (table.isEmpty() && connection.isEmpty()) {
      return new StateClient();
    }
    if (table.isEmpty() || connection.isEmpty()) {
      throw new IllegalArgumentException(
          "backend options must contain both connection and table_name (got table_name='"
              + table
              + "', connection='"
              + connection
              + "')");
    }
    GrpcTargets.Dialed dialed = GrpcTargets.dial(connection);
    StateClient client = new StateClient(dialed, allocator, table);
    try {
      client.checkVersions(connection);
      client.migrate();
      client.load();
      return client;
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The schema the Go client sends: key utf8 (PK), value utf8, version uint64, all nullable. */
  static Schema schema(String table) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(CqMetadata.TABLE_NAME, table);
    md.put(CqMetadata.TABLE_DESCRIPTION, "");
    md.put(CqMetadata.TABLE_TITLE, "");
    md.put(CqMetadata.CONSTRAINT_NAME, "");
    md.put(CqMetadata.TABLE_PERMISSIONS_NEEDED, "null");
    md.put(CqMetadata.TABLE_SENSITIVE_COLUMNS, "null");
    return new Schema(
        List.of(
            field("key", ArrowType.Utf8.INSTANCE, true),
            field("value", ArrowType.Utf8.INSTANCE, false),
            field("version", new ArrowType.Int(64, false), false)),
        md);
  }

  /** True when connected to a backend (false for the no-op client). */
  boolean connected() {
    return dialed != null;
  }

  /** The stored value, or "" when there is none. */
  String getKey(String key) {
    Entry e = entries.get(key);
    return e == null ? "" : e.value();
  }

  /** The version of a key, 0 when absent. */
  long version(String key) {
    Entry e = entries.get(key);
    return e == null ? 0 : e.version();
  }

  /** Stores a value in memory with the next version; an unchanged value changes nothing. */
  void setKey(String key, String value) {
    if (!connected()) {
      return;
    }
    Entry current = entries.get(key);
    if (current != null && current.value().equals(value)) {
      return;
    }
    entries.put(key, new Entry(value, current == null ? 1 : current.version() + 1));
    changed.add(key);
  }

  /** Writes the changed keys in a new Write stream (also when none changed) and waits for it. */
  void flush() {
    if (!connected()) {
      return;
    }
    List<String> keys = new ArrayList<>(changed);
    ByteString record;
    try (VectorSchemaRoot root = rows(keys)) {
      record = ArrowIpc.recordToBytes(root);
    }
    write(
        Write.Request.newBuilder()
            .setInsert(Write.MessageInsert.newBuilder().setRecord(record))
            .build(),
        "flush of " + keys.size() + " state key(s)");
    changed.clear();
  }

  @Override
  public void close() {
    if (dialed != null) {
      dialed.close();
    }
  }

  private void checkVersions(String connection) {
    GetVersions.Response versions =
        DiscoveryGrpc.newBlockingStub(dialed.channel())
            .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .getVersions(GetVersions.Request.getDefaultInstance());
    if (!versions.getVersionsList().contains(3)) {
      throw new IllegalStateException(
          "state backend "
              + connection
              + " supports protocol versions "
              + versions.getVersionsList()
              + ", but 3 is needed; please upgrade your state backend plugin");
    }
  }

  private void migrate() {
    write(
        Write.Request.newBuilder()
            .setMigrateTable(Write.MessageMigrateTable.newBuilder().setTable(schemaBytes))
            .build(),
        "migrate of the state table");
  }

  private void load() {
    Iterator<Read.Response> responses =
        PluginGrpc.newBlockingStub(dialed.channel())
            .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .read(Read.Request.newBuilder().setTable(schemaBytes).build());
    while (responses.hasNext()) {
      ArrowIpc.forEachBatch(responses.next().getRecord(), allocator, this::loadBatch);
    }
  }

  /** Reads by position with hard type checks, as the Go client does; highest version wins. */
  private void loadBatch(VectorSchemaRoot root) {
    if (root.getRowCount() == 0) {
      return;
    }
    List<FieldVector> columns = root.getFieldVectors();
    if (columns.size() < 3
        || !(columns.get(0) instanceof VarCharVector keys)
        || !(columns.get(1) instanceof VarCharVector values)
        || !(columns.get(2) instanceof UInt8Vector versions)) {
      throw new IllegalStateException(
          "the state backend returned columns "
              + root.getSchema().getFields()
              + "; a state table is read by position as key utf8, value utf8, version uint64");
    }
    for (int row = 0; row < root.getRowCount(); row++) {
      String key = text(keys, row);
      long version = versions.isNull(row) ? 0 : versions.get(row);
      Entry held = entries.get(key);
      if (held != null && held.version() > version) {
        continue;
      }
      entries.put(key, new Entry(text(values, row), version));
    }
  }

  private VectorSchemaRoot rows(List<String> keys) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    VarCharVector key = (VarCharVector) root.getVector(0);
    VarCharVector value = (VarCharVector) root.getVector(1);
    UInt8Vector version = (UInt8Vector) root.getVector(2);
    root.allocateNew();
    for (int i = 0; i < keys.size(); i++) {
      Entry e = entries.get(keys.get(i));
      key.setSafe(i, keys.get(i).getBytes(StandardCharsets.UTF_8));
      value.setSafe(i, e.value().getBytes(StandardCharsets.UTF_8));
      version.setSafe(i, e.version());
    }
    root.setRowCount(keys.size());
    return root;
  }

  /** One Write stream with one message: send, half-close, wait for the answer. */
  private void write(Write.Request message, String what) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<Write.Request> requests =
        plugin
            .withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .write(
                new StreamObserver<>() {
                  @Override
                  public void onNext(Write.Response value) {}

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(null);
                  }
                });
    requests.onNext(message);
    requests.onCompleted();
    try {
      done.get(CALL_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "state backend rejected the " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("state backend did not answer the " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the " + what, e);
    }
  }

  private static String text(VarCharVector v, int row) {
    return v.isNull(row) ? "" : new String(v.get(row), StandardCharsets.UTF_8);
  }

  private static Field field(String name, ArrowType type, boolean primaryKey) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(CqMetadata.PRIMARY_KEY, Boolean.toString(primaryKey));
    md.put(CqMetadata.UNIQUE, CqMetadata.FALSE);
    md.put(CqMetadata.INCREMENTAL, CqMetadata.FALSE);
    md.put(CqMetadata.PRIMARY_KEY_COMPONENT, CqMetadata.FALSE);
    return new Field(name, new FieldType(true, type, null, md), null);
  }
}
