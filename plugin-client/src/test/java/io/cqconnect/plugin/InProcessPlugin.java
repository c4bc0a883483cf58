package io.cqconnect.plugin;

import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An in-process gRPC server holding fake plugin services, and a channel to it; closed by tests. */
final class InProcessPlugin implements AutoCloseable {

  final Server server;
  final ManagedChannel channel;

  private InProcessPlugin(Server server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  static InProcessPlugin start(BindableService... services) {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
    for (BindableService s : services) {
      builder.addService(s);
    }
    try {
      Server server = builder.build().start();
      return new InProcessPlugin(server, InProcessChannelBuilder.forName(name).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A discovery service answering the given versions. */
  static BindableService discovery(List<Integer> versions) {
    return new DiscoveryGrpc.DiscoveryImplBase() {
      @Override
      public void getVersions(
          GetVersions.Request request, StreamObserver<GetVersions.Response> out) {
        out.onNext(GetVersions.Response.newBuilder().addAllVersions(versions).build());
        out.onCompleted();
      }
    };
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
