package io.cqconnect.sink;

import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.cqconnect.plugin.proto.v3.Close;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination plugin on a loopback TCP port that records every {@code Write} stream, for tests of
 * the task's protocol behaviour; failures can be scripted per stream. Real destinations are tested
 * elsewhere (SQLite, PostgreSQL, JS memdb).
 */
final class FakeDestination implements AutoCloseable {

  private final Server server;
  private final List<List<Write.Request>> completed = new ArrayList<>();
  private final List<List<Write.Request>> failed = new ArrayList<>();
  private final Deque<Status> scriptedFailures = new ArrayDeque<>();
  private final List<String> events = new ArrayList<>();
  private final AtomicInteger streams = new AtomicInteger();
  private final Map<Integer, CountDownLatch> firstMessages = new ConcurrentHashMap<>();
  private volatile Duration hold = Duration.ZERO;
  final AtomicInteger inits = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();

  FakeDestination() {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .addService(new Discovery())
              .addService(new Plugin())
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The address for {@code plugin.address}. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next Write streams fail (one status each, in order) when the client half-closes. */
  synchronized void failNextWrites(Status... statuses) {
    for (Status status : statuses) {
      scriptedFailures.add(status);
    }
  }

  /**
   * From now on each stream's answer waits until the next stream's first message arrives, at most
   * {@code max}: {@link #events()} then shows whether the task overlapped two streams.
   */
  void holdAnswersForNextStream(Duration max) {
    hold = max;
  }

  /** "stream N first TYPE" and "stream N answered", in the order they happened. */
  synchronized List<String> events() {
    return List.copyOf(events);
  }

  private synchronized void event(String event) {
    events.add(event);
  }

  private CountDownLatch firstMessage(int stream) {
    return firstMessages.computeIfAbsent(stream, n -> new CountDownLatch(1));
  }

  /** Streams the plugin answered with success, each as the list of its messages. */
  synchronized List<List<Write.Request>> completedStreams() {
    return List.copyOf(completed);
  }

  /** Streams that failed (scripted) or were cancelled. */
  synchronized List<List<Write.Request>> failedStreams() {
    return List.copyOf(failed);
  }

  /** All messages of all successful streams, in order. */
  synchronized List<Write.Request> confirmedMessages() {
    List<Write.Request> all = new ArrayList<>();
    completed.forEach(all::addAll);
    return all;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Discovery extends DiscoveryGrpc.DiscoveryImplBase {
    @Override
    public void getVersions(GetVersions.Request request, StreamObserver<GetVersions.Response> out) {
      out.onNext(GetVersions.Response.newBuilder().addVersions(3).build());
      out.onCompleted();
    }
  }

  private final class Plugin extends PluginGrpc.PluginImplBase {
    @Override
    public void init(Init.Request request, StreamObserver<Init.Response> out) {
      inits.incrementAndGet();
      out.onNext(Init.Response.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void close(Close.Request request, StreamObserver<Close.Response> out) {
      closes.incrementAndGet();
      out.onNext(Close.Response.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void testConnection(
        TestConnection.Request request, StreamObserver<TestConnection.Response> out) {
      out.onNext(TestConnection.Response.newBuilder().setSuccess(true).build());
      out.onCompleted();
    }

    @Override
    public StreamObserver<Write.Request> write(StreamObserver<Write.Response> out) {
      List<Write.Request> messages = new ArrayList<>();
      int id = streams.incrementAndGet();
      return new StreamObserver<>() {
        @Override
        public void onNext(Write.Request value) {
          if (messages.isEmpty()) {
            event("stream " + id + " first " + value.getMessageCase());
            firstMessage(id).countDown();
          }
          messages.add(value);
        }

        @Override
        public void onError(Throwable t) {
          synchronized (FakeDestination.this) {
            failed.add(messages);
          }
        }

        @Override
        public void onCompleted() {
          awaitNextStream();
          Status failure;
          synchronized (FakeDestination.this) {
            failure = scriptedFailures.poll();
            (failure == null ? completed : failed).add(messages);
          }
          event("stream " + id + " answered");
          if (failure != null) {
            out.onError(failure.asRuntimeException());
          } else {
            out.onNext(Write.Response.getDefaultInstance());
            out.onCompleted();
          }
        }

        private void awaitNextStream() {
          Duration max = hold;
          if (max.isZero()) {
            return;
          }
          try {
            // Either outcome is fine here: the events show which happened.
            firstMessage(id + 1).await(max.toMillis(), TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
    }
  }
}
