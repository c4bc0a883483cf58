package io.cqconnect.state;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CloudQuery state backend: a gRPC server speaking plugin protocol v3 ({@code
 * cloudquery.plugin.v3.Plugin}) and discovery v1 on a loopback TCP port or a unix socket, storing
 * state tables in a {@link StateStore} and telling a {@link StateWriteListener} about every insert.
 * A Go plugin's state client connects to {@link #target()} (pass it as {@code
 * backend_options.connection}).
 *
 * <p>Lifecycle: {@link Builder#start()} binds and serves; {@link #close()} stops in two phases
 * (graceful shutdown for up to the grace period, then forced) and is idempotent. The server does
 * not own the store: whoever created the store closes it, after the server.
 */
public final class StateBackendServer implements AutoCloseable {

  /** Loopback on a free port. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:0";

  /** The message limit of the CloudQuery CLI and Go SDK servers (200 MiB). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 200 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(StateBackendServer.class);
  private static final String UNIX_PREFIX = "unix://";
  // File type bits of st_mode (sys/stat.h): the type mask and the socket type.
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Server server;
  private final ExecutorService executor;
  private final EventLoopGroup eventLoops;
  private final BufferAllocator allocator;
  private final String target;
  private final int port;
  private final Path socket;
  private final Duration grace;
  private final StateStore store;
  private boolean closed;

  private StateBackendServer(Builder b) throws IOException {
    this.store = b.store;
    this.grace = b.grace;
    this.allocator = new RootAllocator();
    this.executor = Executors.newFixedThreadPool(b.threads, threadFactory(b.threadNamePrefix));
    StatePluginService plugin = new StatePluginService(b.store, b.listener, allocator);
    NettyServerBuilder nb;
    SocketAddress address;
    EventLoopGroup loops = null;
    Path socketPath = null;
    try {
      if (b.address.startsWith(UNIX_PREFIX)) {
        socketPath = unixPath(b.address);
        if (!Epoll.isAvailable()) {
          throw new IOException(
              "unix sockets need Linux epoll, which is not available here ("
                  + Epoll.unavailabilityCause()
                  + "); listen on a loopback TCP address instead");
        }
        removeStaleSocket(socketPath);
        address = new DomainSocketAddress(socketPath.toString());
        loops = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        nb =
            NettyServerBuilder.forAddress(address)
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loops)
                .workerEventLoopGroup(loops);
      } else {
        address = tcpAddress(b.address);
        nb = NettyServerBuilder.forAddress(address);
      }
      this.server =
          nb.executor(executor)
              .maxInboundMessageSize(b.maxMessageBytes)
              .addService(ServerInterceptors.intercept(plugin, b.interceptors))
              .addService(ServerInterceptors.intercept(new StateDiscoveryService(), b.interceptors))
              .build()
              .start();
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      if (loops != null) {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      }
      allocator.close();
      if (e instanceof IOException io) {
        throw new IOException(
            "Could not start the state backend on " + b.address + ": " + io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
    this.eventLoops = loops;
    this.socket = socketPath;
    if (socketPath != null) {
      this.port = -1;
      this.target = "unix://" + socketPath.toAbsolutePath();
    } else {
      InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
      this.port = bound.getPort();
      String host = ((InetSocketAddress) address).getHostString();
      this.target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
      InetAddress ip = ((InetSocketAddress) address).getAddress();
      if (ip == null || !ip.isLoopbackAddress()) {
        log.warn(
            "State backend listens on {}, which is not a loopback address, and has no"
                + " authentication: anyone who can reach this port can read and write every"
                + " cursor. Listen on 127.0.0.1, on a unix socket, or firewall the port to"
                + " trusted hosts.",
            target);
      }
    }
    log.info("State backend listening on {} (store {})", target, describe(b.store));
  }

  /** A builder for a server backed by {@code store}. */
  public static Builder builder(StateStore store) {
    return new Builder(store);
  }

  /**
   * The gRPC target a state client dials: {@code 127.0.0.1:41234} for TCP, {@code
   * unix:///path/to.sock} for a unix socket.
   */
  public String target() {
    return target;
  }

  /** The bound TCP port, or -1 on a unix socket. */
  public int port() {
    return port;
  }

  /** The store behind this server. */
  public StateStore store() {
    return store;
  }

  /** Blocks until the server has terminated (after {@link #close()} from another thread). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Stops serving: refuses new calls, lets running ones finish for up to the grace period, then
   * cancels the rest. Never throws; safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long start = System.nanoTime();
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("State backend on {} did not terminate within 5 s after shutdownNow", target);
        }
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    if (eventLoops != null) {
      eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (socket != null) {
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        log.debug("Could not delete socket file {}", socket, e);
      }
    }
    try {
      allocator.close();
    } catch (RuntimeException e) {
      log.warn("Arrow memory still in use when the state backend stopped: {}", e.getMessage());
    }
    log.info(
        "State backend on {} stopped in {} ms", target, (System.nanoTime() - start) / 1_000_000);
  }

  private static String describe(StateStore store) {
    return store instanceof JdbcStateStore j ? j.describe() : store.getClass().getName();
  }

  /**
   * Deletes a socket file left by an earlier server, as binding needs the path free; anything else
   * at the path (a user's file, a directory, a link) is kept and refused, so a typo in {@code
   * --unix} can never destroy data.
   */
  private static void removeStaleSocket(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException(
          path.toAbsolutePath()
              + " exists and is not a unix socket; remove it yourself or choose another socket"
              + " path");
    }
    Files.delete(path);
    log.info("Removed stale socket file {}", path);
  }

  private static Path unixPath(String address) {
    String path = address.substring(UNIX_PREFIX.length());
    if (path.isEmpty()) {
      throw new IllegalArgumentException(
          "unix socket address '" + address + "' has no path; use unix:///absolute/path.sock");
    }
    return Path.of(path);
  }

  /** Parses {@code host:port}, {@code [v6]:port} or {@code :port} (loopback). */
  static InetSocketAddress tcpAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "address '"
              + address
              + "' has no port; use host:port such as 127.0.0.1:7777, or unix:///path.sock");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "address '" + address + "' has an invalid port; use host:port such as 127.0.0.1:7777");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "port " + port + " of address '" + address + "' is out of range");
    }
    return new InetSocketAddress(host, port);
  }

  private static ThreadFactory threadFactory(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Settings of a {@link StateBackendServer}. */
  public static final class Builder {
    private final StateStore store;
    private String address = DEFAULT_ADDRESS;
    private StateWriteListener listener = StateWriteListener.NONE;
    private int threads = 4;
    private String threadNamePrefix = "cq-state-server";
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private Duration grace = Duration.ofSeconds(5);
    private final List<ServerInterceptor> interceptors = new ArrayList<>();

    private Builder(StateStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Where to listen: {@code host:port} (port 0 picks a free one; default {@value
     * #DEFAULT_ADDRESS}) or {@code unix:///absolute/path.sock}.
     */
    public Builder address(String address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Told about every accepted insert; default none. */
    public Builder listener(StateWriteListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Threads serving calls (state calls are few and short); default 4. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Prefix of the serving threads' names, so a thread dump says whose they are. */
    public Builder threadNamePrefix(String prefix) {
      this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Largest inbound message; default 200 MiB like the CloudQuery CLI. */
    public Builder maxInboundMessageBytes(int bytes) {
      if (bytes < 1024 * 1024) {
        throw new IllegalArgumentException(
            "max inbound message must be at least 1 MiB, got " + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /** How long {@link StateBackendServer#close()} lets running calls finish; default 5 s. */
    public Builder shutdownGrace(Duration grace) {
      this.grace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** Adds an interceptor on every call (metrics, or tests recording the calls a client makes). */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Binds and starts serving. */
    public StateBackendServer start() throws IOException {
      return new StateBackendServer(this);
    }
  }
}
