package io.cqconnect.demo;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.proto.v3.Close;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.GetSpecSchema;
import io.cqconnect.plugin.proto.v3.GetTables;
import io.cqconnect.plugin.proto.v3.GetVersion;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin v3 service of the demo source: name {@code demo}, {@code Init} with {@link DemoSpec},
 * {@code GetTables} and {@code Sync} (run by {@link SyncSession} on the sync executor). {@code
 * Read}, {@code Write} and the transformer calls answer {@code UNIMPLEMENTED}: this is a source.
 */
final class DemoPluginService extends PluginGrpc.PluginImplBase {

  static final String NAME = "demo";

  private static final Logger log = LoggerFactory.getLogger(DemoPluginService.class);

  private final BufferAllocator allocator;
  private final ExecutorService syncs;
  private final BiFunction<Sync.BackendOptions, BufferAllocator, StateClient> stateConnector;
  private volatile DemoSpec spec;

  DemoPluginService(
      BufferAllocator allocator,
      ExecutorService syncs,
      BiFunction<Sync.BackendOptions, BufferAllocator, StateClient> stateConnector) {
    this.allocator = allocator;
    this.syncs = syncs;
    this.stateConnector = stateConnector;
  }

  @Override
  public void getName(GetName.Request request, StreamObserver<GetName.Response> out) {
    reply(out, GetName.Response.newBuilder().setName(NAME).build());
  }

  @Override
  public void getVersion(GetVersion.Request request, StreamObserver<GetVersion.Response> out) {
    reply(out, GetVersion.Response.newBuilder().setVersion(DemoVersion.get()).build());
  }

  @Override
  public void getSpecSchema(
      GetSpecSchema.Request request, StreamObserver<GetSpecSchema.Response> out) {
    reply(out, GetSpecSchema.Response.newBuilder().setJsonSchema(DemoSpec.JSON_SCHEMA).build());
  }

  @Override
  public void init(Init.Request request, StreamObserver<Init.Response> out) {
    try {
      spec = DemoSpec.parse(request.getSpec().toByteArray());
    } catch (IllegalArgumentException e) {
      log.error("init failed: {}", e.getMessage());
      out.onError(
          Status.INTERNAL
              .withDescription("failed to init plugin: " + e.getMessage())
              .asRuntimeException());
      return;
    }
    log.info(
        "initialized events_per_sync={} users={} batch_rows={}",
        spec.eventsPerSync(),
        spec.users(),
        spec.batchRows());
    reply(out, Init.Response.getDefaultInstance());
  }

  @Override
  public void getTables(GetTables.Request request, StreamObserver<GetTables.Response> out) {
    if (spec == null) {
      notInitialized(out, "GetTables");
      return;
    }
    GetTables.Response.Builder response = GetTables.Response.newBuilder();
    try {
      for (Schema table : DemoTables.select(request.getTablesList(), request.getSkipTablesList())) {
        response.addTables(ArrowIpc.schemaToBytes(table));
      }
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    reply(out, response.build());
  }

  @Override
  public void sync(Sync.Request request, StreamObserver<Sync.Response> out) {
    DemoSpec current = spec;
    if (current == null) {
      notInitialized(out, "Sync");
      return;
    }
    SyncSession session =
        new SyncSession(
            request,
            current,
            (ServerCallStreamObserver<Sync.Response>) out,
            allocator.newChildAllocator("sync", 0, Long.MAX_VALUE),
            stateConnector);
    syncs.execute(session);
  }

  @Override
  public void testConnection(
      TestConnection.Request request, StreamObserver<TestConnection.Response> out) {
    TestConnection.Response.Builder response = TestConnection.Response.newBuilder();
    try {
      DemoSpec.parse(request.getSpec().toByteArray());
      response.setSuccess(true);
    } catch (IllegalArgumentException e) {
      response
          .setSuccess(false)
          .setFailureCode("INVALID_SPEC")
          .setFailureDescription(e.getMessage());
    }
    reply(out, response.build());
  }

  @Override
  public void close(Close.Request request, StreamObserver<Close.Response> out) {
    reply(out, Close.Response.getDefaultInstance());
  }

  private static void notInitialized(StreamObserver<?> out, String call) {
    out.onError(
        Status.FAILED_PRECONDITION
            .withDescription("plugin not initialized: call Init before " + call)
            .asRuntimeException());
  }

  private static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }
}
