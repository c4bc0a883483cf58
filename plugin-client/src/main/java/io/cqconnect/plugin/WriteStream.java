package io.cqconnect.plugin;

import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * A client-streaming {@code Write} call to a destination plugin, with flow control.
 *
 * <p>Contract: {@link #send(Write.Request)} hands a message to gRPC only while the call is ready
 * (the transport holds less than its small ready threshold), and otherwise blocks until the plugin
 * has consumed enough; so at most one message plus that threshold is ever buffered, however slow
 * the plugin is. {@link #complete(Duration)} half-closes and waits for the plugin's answer, which
 * is the only acknowledgement the protocol gives. Senders use one thread at a time; {@link
 * #cancel(String)} may be called from any thread and wakes a blocked sender. A failure of the call
 * is thrown (mapped by {@link GrpcErrors}) from the next {@code send} or from {@code complete}.
 */
public final class WriteStream implements AutoCloseable {

  private final String plugin;
  private final Function<Throwable, String> diagnostics;
  private final Object lock = new Object();
  private ClientCallStreamObserver<Write.Request> call;
  private boolean halfClosed;
  private boolean done;
  private boolean cancelled;
  private Throwable error;
  private Write.Response response;
  private long sent;

  WriteStream(String plugin, Function<Throwable, String> diagnostics) {
    this.plugin = plugin;
    this.diagnostics = diagnostics;
  }

  /** The observer to hand to the async stub; it is used for exactly one call. */
  ClientResponseObserver<Write.Request, Write.Response> observer() {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<Write.Request> requestStream) {
        synchronized (lock) {
          call = requestStream;
        }
        requestStream.setOnReadyHandler(WriteStream.this::wake);
      }

      @Override
      public void onNext(Write.Response value) {
        synchronized (lock) {
          response = value;
        }
      }

      @Override
      public void onError(Throwable t) {
        synchronized (lock) {
          error = t;
          done = true;
          lock.notifyAll();
        }
      }

      @Override
      public void onCompleted() {
        synchronized (lock) {
          done = true;
          lock.notifyAll();
        }
      }
    };
  }

  /**
   * Sends one message, blocking while the plugin is not ready to take more.
   *
   * @throws RuntimeException the mapped failure if the call has failed, or a {@link
   *     ConnectException} if the stream was completed or cancelled
   */
  public void send(Write.Request request) throws InterruptedException {
    send(request, null);
  }

  /**
   * Sends one message, blocking at most {@code timeout} while the plugin is not ready; on timeout
   * throws a {@link RetriableException} and leaves the stream open (the caller usually cancels).
   */
  public void send(Write.Request request, Duration timeout) throws InterruptedException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        checkUsable();
        if (call.isReady()) {
          call.onNext(request);
          sent++;
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new RetriableException(
              "Write on plugin "
                  + plugin
                  + ": the plugin did not accept more data within "
                  + timeout
                  + " ("
                  + sent
                  + " messages sent so far)");
        }
        // Wake up periodically as well, in case a readiness change is not signalled.
        long waitMs = Math.max(1, Math.min(left / 1_000_000L, 100));
        lock.wait(waitMs);
      }
    }
  }

  /**
   * Half-closes the stream and waits up to {@code timeout} for the plugin's response, which means
   * every message sent has been processed. On timeout the call is cancelled and a {@link
   * RetriableException} is thrown.
   */
  public Write.Response complete(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      if (!halfClosed) {
        checkUsable();
        halfClosed = true;
        call.onCompleted();
      }
      while (!done) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        lock.wait(Math.max(1, left / 1_000_000L));
      }
      if (!done) {
        cancelLocked("no Write response within " + timeout);
        throw new RetriableException(
            "Write on plugin "
                + plugin
                + ": no response within "
                + timeout
                + " after half-close ("
                + sent
                + " messages sent); the call was cancelled");
      }
      if (error != null && !cancelled) {
        throw mapped();
      }
      if (cancelled) {
        throw new ConnectException("Write on plugin " + plugin + " was cancelled");
      }
      return response == null ? Write.Response.getDefaultInstance() : response;
    }
  }

  /** Cancels the call; the plugin discards what it has not yet written. Safe from any thread. */
  public void cancel(String why) {
    synchronized (lock) {
      cancelLocked(why);
    }
  }

  /** True while messages may still be sent (not completed, cancelled or failed). */
  public boolean isOpen() {
    synchronized (lock) {
      return !done && !cancelled && !halfClosed;
    }
  }

  /** How many messages have been handed to gRPC on this stream. */
  public long sent() {
    synchronized (lock) {
      return sent;
    }
  }

  /** Cancels the stream unless it has already completed; completed streams are left as they are. */
  @Override
  public void close() {
    synchronized (lock) {
      if (!done) {
        cancelLocked("write stream closed before completion");
      }
    }
  }

  private void cancelLocked(String why) {
    if (cancelled || done) {
      return;
    }
    cancelled = true;
    if (call != null) {
      call.cancel(why, null);
    }
    lock.notifyAll();
  }

  private void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  private void checkUsable() {
    if (error != null && !cancelled) {
      throw mapped();
    }
    if (cancelled) {
      throw new ConnectException("Write on plugin " + plugin + " was cancelled");
    }
    if (done || halfClosed) {
      throw new ConnectException("Write on plugin " + plugin + " is already completed");
    }
  }

  private RuntimeException mapped() {
    String detail = diagnostics == null ? null : diagnostics.apply(error);
    return GrpcErrors.toConnect(error, "Write", plugin, detail);
  }
}
