package io.cqconnect.source;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Sync;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source plugin served in the test's JVM that answers {@code Init} with a scripted list of
 * failures before it succeeds, and every {@code Sync} with one status (OK: an empty sync).
 */
final class FakeSourcePlugin implements AutoCloseable {

  private final AtomicInteger inits = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private final Server server;

  /**
   * @param initFailures what the first {@code Init} calls answer, one per call; later calls succeed
   * @param sync what every {@code Sync} answers
   */
  FakeSourcePlugin(List<Status> initFailures, Status sync) throws IOException {
    server =
        ServerBuilder.forPort(0)
            .addService(new Discovery())
            .addService(
                new PluginGrpc.PluginImplBase() {
                  @Override
                  public void init(Init.Request request, StreamObserver<Init.Response> out) {
                    int call = inits.getAndIncrement();
                    if (call < initFailures.size()) {
                      out.onError(initFailures.get(call).asRuntimeException());
                    } else {
                      out.onNext(Init.Response.getDefaultInstance());
                      out.onCompleted();
                    }
                  }

                  @Override
                  public void sync(Sync.Request request, StreamObserver<Sync.Response> out) {
                    if (sync.isOk()) {
                      out.onCompleted();
                    } else {
                      out.onError(sync.asRuntimeException());
                    }
                  }
                })
            .build()
            .start();
  }

  /** Dials and initialises the plugin, as the task's opener does; counts the calls. */
  PluginConnection open() {
    opened.incrementAndGet();
    PluginConnection plugin = PluginConnection.dial("127.0.0.1:" + server.getPort());
    try {
      plugin.client().init(new byte[0], false);
      return plugin;
    } catch (RuntimeException e) {
      plugin.close();
      throw e;
    }
  }

  /** How many times the sync thread opened (started and initialised) the plugin. */
  int opened() {
    return opened.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class Discovery extends DiscoveryGrpc.DiscoveryImplBase {
    @Override
    public void getVersions(GetVersions.Request request, StreamObserver<GetVersions.Response> out) {
      out.onNext(GetVersions.Response.newBuilder().addVersions(3).build());
      out.onCompleted();
    }
  }
}
