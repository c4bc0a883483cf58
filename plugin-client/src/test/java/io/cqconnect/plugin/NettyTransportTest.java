package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real Netty transport on loopback TCP and unix sockets: sizes, readiness and versions. */
class NettyTransportTest {

  private static final int MIB = 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void shouldPassMessagesAboveGrpcJavasFourMibDefault() throws Exception {
    int port = serve(InProcessPlugin.discovery(List.of(3)), bigSource(10 * MIB));

    PluginConnection plugin = track(PluginConnection.dial("127.0.0.1:" + port));
    SyncStream stream = plugin.client().sync(Sync.Request.getDefaultInstance());
    Sync.Response big = stream.poll(WAIT);

    assertThat(big.getInsert().getRecord().size()).isEqualTo(10 * MIB);
    assertThat(stream.poll(WAIT)).isNull();
    assertThat(stream.isFinished()).isTrue();
  }

  @Test
  void shouldFailWithoutRetryWhenAMessageExceedsTheConfiguredLimit() throws Exception {
    int port = serve(InProcessPlugin.discovery(List.of(3)), bigSource(2 * MIB));

    PluginConnection plugin =
        track(
            PluginConnection.dial(
                "127.0.0.1:" + port, Duration.ofSeconds(5), Duration.ofSeconds(5), MIB));
    SyncStream stream = plugin.client().sync(Sync.Request.getDefaultInstance());

    assertThatThrownBy(() -> stream.poll(WAIT))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageContaining("Sync on plugin 127.0.0.1:" + port + " failed: RESOURCE_EXHAUSTED")
        .hasMessageContaining("grpc.max.message.bytes");
  }

  @Test
  void shouldWriteALargeMessageToThePlugin() throws Exception {
    AtomicInteger bytes = new AtomicInteger();
    int port =
        serve(
            InProcessPlugin.discovery(List.of(3)),
            new PluginGrpc.PluginImplBase() {
              @Override
              public StreamObserver<Write.Request> write(StreamObserver<Write.Response> out) {
                return new StreamObserver<>() {
                  @Override
                  public void onNext(Write.Request value) {
                    bytes.addAndGet(value.getInsert().getRecord().size());
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {
                    out.onNext(Write.Response.getDefaultInstance());
                    out.onCompleted();
                  }
                };
              }
            });

    PluginConnection plugin = track(PluginConnection.dial("127.0.0.1:" + port));
    WriteStream write = plugin.client().openWrite();
    for (int i = 0; i < 3; i++) {
      write.send(
          Write.Request.newBuilder()
              .setInsert(
                  Write.MessageInsert.newBuilder()
                      .setRecord(ByteString.copyFrom(new byte[8 * MIB]))
                      .build())
              .build());
    }
    write.complete(WAIT);

    assertThat(bytes.get()).isEqualTo(24 * MIB);
  }

  @Test
  void shouldWaitForAPluginThatStartsListeningLate() throws Exception {
    int port = PluginProcess.freeLoopbackPort();
    CompletableFuture<Void> lateStart =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(1500);
                serveOn(port, InProcessPlugin.discovery(List.of(0, 1, 2, 3)));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    PluginConnection plugin =
        track(
            PluginConnection.dial(
                "127.0.0.1:" + port, Duration.ofSeconds(20), Duration.ofSeconds(5), MIB));
    lateStart.get(5, TimeUnit.SECONDS);

    assertThat(plugin.versions()).containsExactly(0, 1, 2, 3);
    assertThat(plugin.target()).isEqualTo("127.0.0.1:" + port);
    assertThat(plugin.process()).isEmpty();
    assertThat(plugin.recentLogs()).isEmpty();
  }

  @Test
  void shouldRejectAPluginWithoutProtocolThree() throws Exception {
    int port = serve(InProcessPlugin.discovery(List.of(1, 2)));

    assertThatThrownBy(() -> PluginConnection.dial("127.0.0.1:" + port))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith(
            "Plugin 127.0.0.1:"
                + port
                + " offers protocol versions [1, 2], but cq-connect needs"
                + " version 3");
  }

  @Test
  void shouldFailClearlyWhenNothingListens() throws Exception {
    int port = PluginProcess.freeLoopbackPort();

    assertThatThrownBy(
            () ->
                PluginConnection.dial(
                    "127.0.0.1:" + port, Duration.ofMillis(700), Duration.ofSeconds(1), MIB))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith(
            "Plugin at 127.0.0.1:"
                + port
                + " did not become ready: no answer to GetVersions within"
                + " PT0.7S; last error: GetVersions on plugin 127.0.0.1:"
                + port
                + " failed: UNAVAILABLE")
        .hasMessageEndingWith(
            "check that the plugin server is running and listening at that address");
  }

  @Test
  void shouldDialAPluginOnAUnixSocket() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "cqt");
    cleanup.add(() -> SocketDirs.deleteQuietly(dir));
    Path socket = dir.resolve("s.sock");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    cleanup.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS));
    Server server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .addService(InProcessPlugin.discovery(List.of(3)))
            .addService(bigSource(5 * MIB))
            .build()
            .start();
    cleanup.add(() -> stopServer(server));

    PluginConnection plugin = track(PluginConnection.dial("unix://" + socket));
    SyncStream stream = plugin.client().sync(Sync.Request.getDefaultInstance());

    assertThat(plugin.versions()).containsExactly(3);
    assertThat(stream.poll(WAIT).getInsert().getRecord().size()).isEqualTo(5 * MIB);
  }

  private PluginConnection track(PluginConnection c) {
    cleanup.add(c);
    return c;
  }

  private int serve(BindableService... services) throws IOException {
    return serveOn(0, services);
  }

  private int serveOn(int port, BindableService... services) throws IOException {
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .maxInboundMessageSize(PluginClient.DEFAULT_MAX_MESSAGE_BYTES);
    for (BindableService s : services) {
      b.addService(s);
    }
    Server server = b.build().start();
    synchronized (cleanup) {
      cleanup.add(0, () -> stopServer(server));
    }
    return server.getPort();
  }

  private static void stopServer(Server server) throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A source that sends one insert of {@code size} bytes and ends. */
  private static PluginGrpc.PluginImplBase bigSource(int size) {
    return new PluginGrpc.PluginImplBase() {
      @Override
      public void sync(Sync.Request request, StreamObserver<Sync.Response> out) {
        out.onNext(
            Sync.Response.newBuilder()
                .setInsert(
                    Sync.MessageInsert.newBuilder().setRecord(ByteString.copyFrom(new byte[size])))
                .build());
        out.onCompleted();
      }
    };
  }
}
