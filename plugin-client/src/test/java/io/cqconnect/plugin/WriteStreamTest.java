package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private InProcessPlugin plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void shouldDeliverEveryMessageAndReturnTheResponseOnComplete() throws Exception {
    List<Write.Request> received = new CopyOnWriteArrayList<>();
    plugin = InProcessPlugin.start(collectingDestination(received, null));

    WriteStream write = client().openWrite();
    write.send(migrate("t"));
    for (int i = 0; i < 50; i++) {
      write.send(insert("row-" + i));
    }
    Write.Response response = write.complete(WAIT);

    assertThat(response).isEqualTo(Write.Response.getDefaultInstance());
    assertThat(received).hasSize(51);
    assertThat(received.get(0).getMigrateTable().getTable().toStringUtf8()).isEqualTo("t");
    assertThat(received.get(50).getInsert().getRecord().toStringUtf8()).isEqualTo("row-49");
    assertThat(write.sent()).isEqualTo(51);
    assertThat(write.isOpen()).isFalse();
    assertThatThrownBy(() -> write.send(insert("late")))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Write on plugin fake is already completed");
  }

  @Test
  void shouldBlockSendInsteadOfBufferingWhenThePluginDoesNotRequest() throws Exception {
    AtomicReference<ServerCallStreamObserver<Write.Response>> serverCall = new AtomicReference<>();
    List<Write.Request> received = new CopyOnWriteArrayList<>();
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public StreamObserver<Write.Request> write(StreamObserver<Write.Response> out) {
                ServerCallStreamObserver<Write.Response> call =
                    (ServerCallStreamObserver<Write.Response>) out;
                call.disableAutoRequest();
                serverCall.set(call);
                return collector(received, out);
              }
            });

    WriteStream write = client().openWrite();
    await().atMost(WAIT).until(() -> serverCall.get() != null);

    // The plugin has asked for nothing: send must not hand the message to gRPC.
    assertThatThrownBy(() -> write.send(insert("first"), Duration.ofMillis(300)))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("did not accept more data within PT0.3S");
    assertThat(write.sent()).isZero();

    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              try {
                write.send(insert("first"));
                write.send(insert("second"));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertThat(sender).isNotDone();

    serverCall.get().request(1);
    await().atMost(WAIT).until(() -> received.size() == 1);
    serverCall.get().request(1);
    sender.get(5, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> received.size() == 2);
    serverCall.get().request(10);

    write.complete(WAIT);
    assertThat(received)
        .extracting(r -> r.getInsert().getRecord().toStringUtf8())
        .containsExactly("first", "second");
  }

  @Test
  void shouldThrowThePluginErrorFromTheNextSend() throws Exception {
    plugin =
        InProcessPlugin.start(
            collectingDestination(
                new CopyOnWriteArrayList<>(),
                Status.UNKNOWN.withDescription("Cannot read properties of undefined")));

    WriteStream write = client().openWrite();
    write.send(insert("no migrate before"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> write.send(insert("next")))
                    .isExactlyInstanceOf(ConnectException.class)
                    .hasMessage(
                        "Write on plugin fake failed: UNKNOWN: Cannot read properties of"
                            + " undefined"));
    assertThatThrownBy(() -> write.complete(WAIT))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageContaining("Cannot read properties of undefined");
  }

  @Test
  void shouldCancelTheCallWhenCompleteTimesOut() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public StreamObserver<Write.Request> write(StreamObserver<Write.Response> out) {
                ((ServerCallStreamObserver<Write.Response>) out)
                    .setOnCancelHandler(cancelled::countDown);
                return new StreamObserver<>() {
                  @Override
                  public void onNext(Write.Request value) {}

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {
                    // Never answers.
                  }
                };
              }
            });

    WriteStream write = client().openWrite();
    write.send(insert("x"));

    assertThatThrownBy(() -> write.complete(Duration.ofMillis(300)))
        .isInstanceOf(RetriableException.class)
        .hasMessage(
            "Write on plugin fake: no response within PT0.3S after half-close (1 messages sent);"
                + " the call was cancelled");
    assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shouldCancelAnUnfinishedStreamOnClose() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    List<Write.Request> received = new CopyOnWriteArrayList<>();
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public StreamObserver<Write.Request> write(StreamObserver<Write.Response> out) {
                ((ServerCallStreamObserver<Write.Response>) out)
                    .setOnCancelHandler(cancelled::countDown);
                return collector(received, out);
              }
            });

    try (WriteStream write = client().openWrite()) {
      write.send(insert("x"));
    }

    assertThat(cancelled.await(5, TimeUnit.SECONDS)).isTrue();
  }

  private PluginClient client() {
    return new PluginClient(plugin.channel, "fake");
  }

  static Write.Request insert(String payload) {
    return Write.Request.newBuilder()
        .setInsert(Write.MessageInsert.newBuilder().setRecord(ByteString.copyFromUtf8(payload)))
        .build();
  }

  static Write.Request migrate(String payload) {
    return Write.Request.newBuilder()
        .setMigrateTable(
            Write.MessageMigrateTable.newBuilder().setTable(ByteString.copyFromUtf8(payload)))
        .build();
  }

  private static StreamObserver<Write.Request> collector(
      List<Write.Request> received, StreamObserver<Write.Response> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(Write.Request value) {
        received.add(value);
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

  /** Collects messages; with a failure, fails the stream at the first message. */
  private static PluginGrpc.PluginImplBase collectingDestination(
      List<Write.Request> received, Status failure) {
    return new PluginGrpc.PluginImplBase() {
      @Override
      public StreamObserver<Write.Request> write(StreamObserver<Write.Response> out) {
        if (failure == null) {
          return collector(received, out);
        }
        return new StreamObserver<>() {
          @Override
          public void onNext(Write.Request value) {
            out.onError(failure.asRuntimeException());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
    };
  }
}
