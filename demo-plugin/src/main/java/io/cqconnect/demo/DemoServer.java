package io.cqconnect.demo;

import io.cqconnect.plugin.proto.v3.Sync;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo plugin's gRPC server: plugin v3 and discovery v1 on one endpoint, over TCP ({@code
 * host:port}) or a unix domain socket (Netty epoll), with the 200 MiB message limit of the Go SDK.
 */
final class DemoServer implements AutoCloseable {

  /** The Go SDK's send and receive limit. */
  static final int MAX_MESSAGE_BYTES = 200 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(DemoServer.class);
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Server server;
  private final ExecutorService calls;
  private final ExecutorService syncs;
  private final EventLoopGroup loops;
  private final BufferAllocator allocator;
  private final Path socket;
  private final String target;

  private DemoServer(
      Server server,
      ExecutorService calls,
      ExecutorService syncs,
      EventLoopGroup loops,
      BufferAllocator allocator,
      Path socket,
      String target) {
    this.server = server;
    this.calls = calls;
    this.syncs = syncs;
    this.loops = loops;
    this.allocator = allocator;
    this.socket = socket;
    this.target = target;
  }

  /** Starts serving with the real state client. */
  static DemoServer start(boolean unix, String address) throws IOException {
    return start(unix, address, StateClient::connect);
  }

  /** Starts serving; {@code stateConnector} opens the state client of each sync. */
  static DemoServer start(
      boolean unix,
      String address,
      BiFunction<Sync.BackendOptions, BufferAllocator, StateClient> stateConnector)
      throws IOException {
    BufferAllocator allocator = new RootAllocator();
    ExecutorService calls = Executors.newFixedThreadPool(4, threads("demo-grpc"));
    ExecutorService syncs = Executors.newCachedThreadPool(threads("demo-sync"));
    EventLoopGroup loops = null;
    Path socket = null;
    try {
      NettyServerBuilder builder;
      if (unix) {
        socket = Path.of(address).toAbsolutePath();
        removeStaleSocket(socket);
        if (!Epoll.isAvailable()) {
          throw new IOException(
              "--network unix needs Netty's epoll transport (Linux), unavailable here ("
                  + Epoll.unavailabilityCause()
                  + "); use --network tcp");
        }
        loops =
            new MultiThreadIoEventLoopGroup(2, threads("demo-uds"), EpollIoHandler.newFactory());
        builder =
            NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loops)
                .workerEventLoopGroup(loops);
      } else {
        builder = NettyServerBuilder.forAddress(tcpAddress(address));
      }
      Server server =
          builder
              .executor(calls)
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              .addService(new DemoPluginService(allocator, syncs, stateConnector))
              .addService(new DemoDiscoveryService())
              .build()
              .start();
      String target;
      if (unix) {
        target = "unix://" + socket;
      } else {
        InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getHostString();
        target = (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
      }
      log.info("plugin server listening address={} network={}", target, unix ? "unix" : "tcp");
      return new DemoServer(server, calls, syncs, loops, allocator, socket, target);
    } catch (IOException | RuntimeException e) {
      calls.shutdownNow();
      syncs.shutdownNow();
      if (loops != null) {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      }
      allocator.close();
      throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
  }

  /** Where clients dial: {@code host:port} or {@code unix:///path}. */
  String target() {
    return target;
  }

  void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops at once (like the Go SDK on SIGTERM): running syncs are cancelled. */
  @Override
  public void close() {
    server.shutdownNow();
    syncs.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      syncs.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    calls.shutdownNow();
    if (loops != null) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (socket != null) {
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        log.debug("could not delete socket {}: {}", socket, e.toString());
      }
    }
    try {
      allocator.close();
    } catch (RuntimeException e) {
      log.warn("Arrow memory still in use at shutdown: {}", e.getMessage());
    }
  }

  static InetSocketAddress tcpAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "--address '" + address + "' must be host:port, e.g. 127.0.0.1:7777");
    }
    String host = address.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--address '" + address + "' has no valid port; expected host:port, e.g. 127.0.0.1:7777");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  /** A socket left by a killed run is replaced; any other file is an error, never deleted. */
  private static void removeStaleSocket(Path socket) throws IOException {
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Object mode = Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if (mode instanceof Integer m && (m & S_IFMT) == S_IFSOCK) {
      Files.delete(socket);
      return;
    }
    throw new IOException(socket + " exists and is not a socket; choose another --address");
  }

  private static java.util.concurrent.ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
