package io.cqconnect.plugin;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Creates plaintext gRPC channels to plugins, for TCP targets ({@code host:port}) and unix domain
 * sockets ({@code unix:/path} or {@code unix:///path}) through Netty's epoll transport.
 */
final class PluginChannels {

  private static final AtomicInteger GROUP_COUNTER = new AtomicInteger();

  private PluginChannels() {}

  /** A channel and, for unix sockets, the event loop group it runs on (owned by the caller). */
  record Opened(ManagedChannel channel, EventLoopGroup group) {

    /** Shutdown, wait, then force; never throws. */
    void shutdown(Duration graceful) {
      boolean interrupted = false;
      try {
        channel.shutdown();
        if (!channel.awaitTermination(graceful.toMillis(), TimeUnit.MILLISECONDS)) {
          channel.shutdownNow();
          channel.awaitTermination(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        interrupted = true;
        channel.shutdownNow();
      } catch (RuntimeException e) {
        channel.shutdownNow();
      }
      if (group != null) {
        try {
          group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (RuntimeException e) {
          // Best effort: daemon threads end with the JVM anyway.
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** True if the target names a unix domain socket. */
  static boolean isUnix(String target) {
    return target.startsWith("unix:");
  }

  /** Opens a channel to {@code host:port} or {@code unix:<path>}. */
  static Opened open(String target, int maxMessageBytes) {
    if (isUnix(target)) {
      return openUnix(socketPath(target), maxMessageBytes);
    }
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(target)
            .usePlaintext()
            .maxInboundMessageSize(maxMessageBytes)
            .userAgent("cq-connect")
            .build();
    return new Opened(channel, null);
  }

  /** The file path of a {@code unix:} target. */
  static String socketPath(String target) {
    String rest = target.substring("unix:".length());
    if (rest.startsWith("//")) {
      rest = rest.substring(2);
    }
    if (rest.isEmpty()) {
      throw new ConnectException("Plugin target '" + target + "' has no socket path");
    }
    return rest;
  }

  private static Opened openUnix(String path, int maxMessageBytes) {
    if (!Epoll.isAvailable()) {
      throw new ConnectException(
          "Cannot connect to plugin socket "
              + path
              + ": unix domain sockets need Netty's epoll transport (Linux), which is not"
              + " available here ("
              + Epoll.unavailabilityCause()
              + "); run the plugin with network tcp");
    }
    // One epoll thread per connection is plenty for one plugin; owned and shut down by us.
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(1, daemonThreads(), EpollIoHandler.newFactory());
    try {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
              .eventLoopGroup(group)
              .channelType(EpollDomainSocketChannel.class)
              .usePlaintext()
              // The default :authority would be the socket path; Node's HTTP/2 server (the JS
              // SDK's grpc-js) resets such a stream with PROTOCOL_ERROR. gRPC-Go and Python
              // ignore it, and use "localhost" for unix targets themselves.
              .overrideAuthority("localhost")
              .maxInboundMessageSize(maxMessageBytes)
              .userAgent("cq-connect")
              .build();
      return new Opened(channel, group);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static ThreadFactory daemonThreads() {
    int n = GROUP_COUNTER.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "cq-plugin-uds-" + n + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
