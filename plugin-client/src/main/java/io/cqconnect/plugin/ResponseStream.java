package io.cqconnect.plugin;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A server-streaming plugin call read by one consumer thread, with back-pressure.
 *
 * <p>Contract: the call asks gRPC for at most {@code prefetch} messages ahead of the consumer, and
 * asks for one more only after the consumer has taken one. A slow consumer therefore stops the
 * transport from reading, and HTTP/2 flow control holds the plugin's sender. The consumer calls
 * {@link #poll(Duration)} or {@link #take()} from a single thread; {@link #cancel(String)} may be
 * called from any thread and wakes the consumer. A failure of the call is thrown (mapped by {@link
 * GrpcErrors}) from the next {@code poll}/{@code take} after the messages that arrived before it,
 * and again on every later call; a clean end makes them return {@code null} and {@link
 * #isFinished()} true.
 *
 * @param <T> the response message type
 */
public class ResponseStream<T> implements AutoCloseable {

  /** Marks the end of the stream in the queue; an {@code Ended} with a null error is clean. */
  private record Ended(Throwable error) {}

  private final String operation;
  private final String plugin;
  private final Function<Throwable, String> diagnostics;
  private final int prefetch;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong received = new AtomicLong();
  private volatile ClientCallStreamObserver<?> call;
  private volatile boolean cancelled;
  private volatile boolean finished;
  private volatile RuntimeException failure;

  ResponseStream(
      String operation, String plugin, Function<Throwable, String> diagnostics, int prefetch) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
    }
    this.operation = operation;
    this.plugin = plugin;
    this.diagnostics = diagnostics;
    this.prefetch = prefetch;
  }

  /** The observer to hand to the async stub; it is used for exactly one call. */
  <R> ClientResponseObserver<R, T> observer() {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<R> requestStream) {
        call = requestStream;
        requestStream.disableAutoRequestWithInitial(prefetch);
      }

      @Override
      public void onNext(T value) {
        received.incrementAndGet();
        queue.add(value);
      }

      @Override
      public void onError(Throwable t) {
        queue.add(new Ended(Objects.requireNonNull(t)));
      }

      @Override
      public void onCompleted() {
        queue.add(new Ended(null));
      }
    };
  }

  /**
   * Returns the next message, waiting up to {@code timeout}; returns null if none arrived in time,
   * or if the stream has ended cleanly or was cancelled (then {@link #isFinished()} is true).
   *
   * @throws RuntimeException the mapped failure of the call, if it failed
   */
  public T poll(Duration timeout) throws InterruptedException {
    if (finished) {
      return terminal();
    }
    Object item = queue.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    return handle(item);
  }

  /**
   * Returns the next message, waiting as long as it takes; returns null when the stream has ended
   * cleanly or was cancelled.
   *
   * @throws RuntimeException the mapped failure of the call, if it failed
   */
  public T take() throws InterruptedException {
    if (finished) {
      return terminal();
    }
    return handle(queue.take());
  }

  /**
   * True once the end of the stream (clean, failed or cancelled) has been reached by the consumer.
   */
  public boolean isFinished() {
    return finished;
  }

  /** How many messages the plugin has sent on this stream so far (taken or still buffered). */
  public long received() {
    return received.get();
  }

  /**
   * Cancels the call (the plugin sees its context cancelled); buffered messages are dropped and the
   * consumer is woken. Safe from any thread, idempotent.
   */
  public void cancel(String why) {
    if (cancelled || finished) {
      return;
    }
    cancelled = true;
    ClientCallStreamObserver<?> c = call;
    if (c != null) {
      c.cancel(why, null);
    }
    queue.clear();
    queue.add(new Ended(null));
  }

  /** Cancels the call if it is still running. */
  @Override
  public void close() {
    cancel("stream closed by the client");
  }

  @SuppressWarnings("unchecked")
  private T handle(Object item) {
    if (item == null) {
      return null;
    }
    if (item instanceof Ended ended) {
      finished = true;
      queue.clear();
      if (ended.error() != null && !cancelled) {
        failure = mapFailure(ended.error());
      }
      return terminal();
    }
    if (cancelled) {
      return terminal();
    }
    ClientCallStreamObserver<?> c = call;
    if (c != null) {
      c.request(1);
    }
    return (T) item;
  }

  private T terminal() {
    finished = true;
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    return null;
  }

  private RuntimeException mapFailure(Throwable error) {
    String detail = diagnostics == null ? null : diagnostics.apply(error);
    return GrpcErrors.toConnect(error, operation, plugin, detail);
  }
}
