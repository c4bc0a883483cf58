package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Sync;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private InProcessPlugin plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void shouldDeliverAllMessagesInOrderThenFinish() throws Exception {
    plugin = InProcessPlugin.start(flowControlledSource(100, new AtomicInteger(), null));

    SyncStream stream = client().sync(Sync.Request.newBuilder().addTables("*").build(), 4);
    List<String> tables = new ArrayList<>();
    Sync.Response m;
    while ((m = stream.poll(WAIT)) != null) {
      tables.add(m.getInsert().getRecord().toStringUtf8());
    }

    assertThat(stream.isFinished()).isTrue();
    assertThat(tables).hasSize(100);
    assertThat(tables.get(0)).isEqualTo("row-0");
    assertThat(tables.get(99)).isEqualTo("row-99");
    assertThat(stream.received()).isEqualTo(100);
    assertThat(stream.poll(Duration.ZERO)).isNull();
  }

  @Test
  void shouldHoldThePluginWhileTheConsumerIsSlow() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    plugin = InProcessPlugin.start(flowControlledSource(1000, sent, null));

    SyncStream stream = client().sync(Sync.Request.getDefaultInstance(), 4);
    await().atMost(WAIT).until(() -> sent.get() == 4);
    // Give a plugin that ignored flow control the chance to run ahead before looking again.
    Thread.sleep(200);
    assertThat(sent.get()).isEqualTo(4);

    assertThat(stream.poll(WAIT).getInsert().getRecord().toStringUtf8()).isEqualTo("row-0");
    assertThat(stream.poll(WAIT).getInsert().getRecord().toStringUtf8()).isEqualTo("row-1");
    await().atMost(WAIT).until(() -> sent.get() == 6);
    Thread.sleep(200);
    assertThat(sent.get()).isEqualTo(6);
    stream.cancel("test done");
  }

  @Test
  void shouldEndAStalledSyncWhenCancelledFromAnotherThread() throws Exception {
    CountDownLatch cancelledAtPlugin = new CountDownLatch(1);
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public void sync(Sync.Request request, StreamObserver<Sync.Response> out) {
                ServerCallStreamObserver<Sync.Response> call =
                    (ServerCallStreamObserver<Sync.Response>) out;
                call.setOnCancelHandler(cancelledAtPlugin::countDown);
                out.onNext(insert("only"));
                // Then stalls: never sends more, never completes.
              }
            });

    SyncStream stream = client().sync(Sync.Request.getDefaultInstance());
    assertThat(stream.poll(WAIT).getInsert().getRecord().toStringUtf8()).isEqualTo("only");
    assertThat(stream.poll(Duration.ofMillis(100))).isNull();
    assertThat(stream.isFinished()).isFalse();

    CompletableFuture<Sync.Response> blocked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stream.take();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100);
    stream.cancel("connector stopping");

    assertThat(blocked.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(stream.isFinished()).isTrue();
    assertThat(cancelledAtPlugin.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(stream.poll(Duration.ZERO)).isNull();
  }

  @Test
  void shouldThrowAfterTheBufferedMessagesWhenThePluginFails() throws Exception {
    plugin =
        InProcessPlugin.start(
            failingSource(Status.INTERNAL.withDescription("table test_some_table: boom")));

    SyncStream stream = client().sync(Sync.Request.getDefaultInstance());

    assertThat(stream.poll(WAIT).getInsert().getRecord().toStringUtf8()).isEqualTo("a");
    assertThat(stream.poll(WAIT).getInsert().getRecord().toStringUtf8()).isEqualTo("b");
    assertThatThrownBy(() -> stream.poll(WAIT))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Sync on plugin fake failed: INTERNAL: table test_some_table: boom");
    assertThat(stream.isFinished()).isTrue();
    // The failure stays visible to later calls.
    assertThatThrownBy(stream::take).isExactlyInstanceOf(ConnectException.class);
  }

  @Test
  void shouldThrowRetriableWhenThePluginBecomesUnavailable() throws Exception {
    plugin = InProcessPlugin.start(failingSource(Status.UNAVAILABLE.withDescription("gone")));

    SyncStream stream = client().sync(Sync.Request.getDefaultInstance());
    stream.take();
    stream.take();

    assertThatThrownBy(stream::take)
        .isInstanceOf(RetriableException.class)
        .hasMessage("Sync on plugin fake failed: UNAVAILABLE: gone");
  }

  @Test
  void shouldFailReadAtTheDeadlineWhenThePluginNeverAnswers() throws Exception {
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public void read(Read.Request request, StreamObserver<Read.Response> out) {
                // Never answers, like the JS memdb's Read.
              }
            });

    ReadStream stream = client().read(ByteString.copyFromUtf8("schema"), Duration.ofMillis(300));

    assertThatThrownBy(() -> stream.poll(WAIT))
        .isInstanceOf(RetriableException.class)
        .hasMessageStartingWith("Read on plugin fake failed: DEADLINE_EXCEEDED");
  }

  @Test
  void shouldReadAllRecordsOfATable() throws Exception {
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public void read(Read.Request request, StreamObserver<Read.Response> out) {
                for (int i = 0; i < 3; i++) {
                  out.onNext(
                      Read.Response.newBuilder()
                          .setRecord(request.getTable().concat(ByteString.copyFromUtf8("-" + i)))
                          .build());
                }
                out.onCompleted();
              }
            });

    ReadStream stream = client().read(ByteString.copyFromUtf8("t"));
    List<String> records = new ArrayList<>();
    Read.Response r;
    while ((r = stream.take()) != null) {
      records.add(r.getRecord().toStringUtf8());
    }

    assertThat(records).containsExactly("t-0", "t-1", "t-2");
    assertThat(stream.isFinished()).isTrue();
  }

  private PluginClient client() {
    return new PluginClient(plugin.channel, "fake");
  }

  static Sync.Response insert(String payload) {
    return Sync.Response.newBuilder()
        .setInsert(Sync.MessageInsert.newBuilder().setRecord(ByteString.copyFromUtf8(payload)))
        .build();
  }

  /** A source that sends {@code total} inserts, only while the client can take them. */
  private static PluginGrpc.PluginImplBase flowControlledSource(
      int total, AtomicInteger sent, Runnable onCancel) {
    return new PluginGrpc.PluginImplBase() {
      @Override
      public void sync(Sync.Request request, StreamObserver<Sync.Response> out) {
        AtomicBoolean completed = new AtomicBoolean();
        ServerCallStreamObserver<Sync.Response> call =
            (ServerCallStreamObserver<Sync.Response>) out;
        call.setOnCancelHandler(onCancel == null ? () -> {} : onCancel);
        call.setOnReadyHandler(
            () -> {
              synchronized (sent) {
                while (call.isReady() && sent.get() < total && !call.isCancelled()) {
                  call.onNext(insert("row-" + sent.getAndIncrement()));
                }
                if (sent.get() == total
                    && !call.isCancelled()
                    && completed.compareAndSet(false, true)) {
                  call.onCompleted();
                }
              }
            });
      }
    };
  }

  private static PluginGrpc.PluginImplBase failingSource(Status status) {
    return new PluginGrpc.PluginImplBase() {
      @Override
      public void sync(Sync.Request request, StreamObserver<Sync.Response> out) {
        out.onNext(insert("a"));
        out.onNext(insert("b"));
        out.onError(status.asRuntimeException());
      }
    };
  }
}
