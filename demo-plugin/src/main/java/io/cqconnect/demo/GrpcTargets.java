package io.cqconnect.demo;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Dials gRPC targets the way the Go state client does: {@code host:port}, any scheme gRPC knows
 * ({@code dns:///host:port}), and {@code unix:///absolute/path} or {@code unix:/path} over Netty's
 * epoll transport; plaintext, with a 100 MiB message limit.
 */
final class GrpcTargets {

  /** The Go state client's default message limit. */
  static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

  private GrpcTargets() {}

  /** A channel and the event loop it needs for unix sockets (null for TCP). */
  record Dialed(ManagedChannel channel, EventLoopGroup loop) {
    void close() {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (loop != null) {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
    }
  }

  static Dialed dial(String target) {
    if (!target.startsWith("unix:")) {
      return new Dialed(
          NettyChannelBuilder.forTarget(target)
              .usePlaintext()
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              .userAgent("cq-demo-plugin")
              .build(),
          null);
    }
    String path = target.substring("unix:".length()).replaceFirst("^//", "");
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "cannot dial "
              + target
              + ": unix sockets need Netty's epoll transport (Linux), unavailable here ("
              + Epoll.unavailabilityCause()
              + "); give the state backend as host:port");
    }
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
            .eventLoopGroup(loop)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .userAgent("cq-demo-plugin")
            .build();
    return new Dialed(channel, loop);
  }
}
