package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import io.cqconnect.state.StateTableMirror;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed cursors into the mirrored state table on a thread of its own: a failed write is
 * retried later and never blocks a sync, so the table may lag Connect's offsets but never lead
 * them. Without a configured mirror every call is a no-op.
 */
final class MirrorWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MirrorWriter.class);

  private final Supplier<StateTableMirror> opener;
  private final Duration retry;
  private final SourceMetrics metrics;
  private final ScheduledExecutorService executor;
  private final Map<String, StateRow> unmirrored = new LinkedHashMap<>();
  private StateTableMirror mirror;
  private long oldestUnmirroredMs;
  private boolean flushScheduled;

  MirrorWriter(
      Supplier<StateTableMirror> opener, Duration retry, SourceMetrics metrics, String threadName) {
    this.opener = opener;
    this.retry = retry;
    this.metrics = metrics;
    this.executor =
        opener == null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, threadName);
                  t.setDaemon(true);
                  return t;
                });
    metrics.gauge(
        "mirror-lag-ms",
        "Age of the oldest committed cursor not yet in the state table",
        this::lagMs);
    metrics.gauge(
        "mirror-pending-keys",
        "Committed cursor keys not yet in the state table",
        this::pendingKeys);
  }

  boolean enabled() {
    return opener != null;
  }

  /** Every row of the mirrored table, or nothing when there is no mirror or it cannot be read. */
  List<StateRow> readAll() {
    if (opener == null) {
      return List.of();
    }
    Future<List<StateRow>> read = executor.submit(() -> open().read());
    try {
      return read.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      read.cancel(true);
      Thread.currentThread().interrupt();
      log.warn("Interrupted while reading the mirrored state table; starting from Connect offsets");
      return List.of();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      read.cancel(true);
      metrics.mirrorFailed();
      log.warn(
          "Cannot read the mirrored state table; starting from Connect offsets alone (a cursor"
              + " advanced there by another runner will be re-fetched, never skipped): {}",
          e instanceof ExecutionException ? e.getCause() : e.toString());
      return List.of();
    }
  }

  /** Queues committed cursors for the table. */
  synchronized void submit(List<StateRow> rows) {
    if (opener == null) {
      return;
    }
    if (unmirrored.isEmpty()) {
      oldestUnmirroredMs = System.currentTimeMillis();
    }
    for (StateRow row : rows) {
      StateRow held = unmirrored.get(row.key());
      if (held == null || row.compareVersionTo(held) >= 0) {
        unmirrored.put(row.key(), row);
      }
    }
    schedule(Duration.ZERO);
  }

  private synchronized void schedule(Duration delay) {
    if (!flushScheduled && !executor.isShutdown()) {
      flushScheduled = true;
      executor.schedule(this::flush, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void flush() {
    List<StateRow> batch;
    synchronized (this) {
      flushScheduled = false;
      batch = new ArrayList<>(unmirrored.values());
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      open().write(batch);
      synchronized (this) {
        for (StateRow row : batch) {
          unmirrored.remove(row.key(), row);
        }
        if (!unmirrored.isEmpty()) {
          oldestUnmirroredMs = System.currentTimeMillis();
          schedule(Duration.ZERO);
        }
      }
      log.debug("Mirrored {} cursor keys to the state table", batch.size());
    } catch (RuntimeException e) {
      closeMirror();
      if (Thread.currentThread().isInterrupted()) {
        // close() stopped waiting for this write (shutdownNow): end here and keep the flag, so the
        // executor's thread ends too; the rows stay unmirrored and the next start mirrors them.
        log.info("Mirror write of {} cursor keys interrupted by the task stopping", batch.size());
        return;
      }
      metrics.mirrorFailed();
      log.warn(
          "Writing {} cursor keys to the mirrored state table failed; retrying in {} ms: {}",
          batch.size(),
          retry.toMillis(),
          e.getMessage());
      schedule(retry);
    }
  }

  private StateTableMirror open() {
    if (mirror == null) {
      StateTableMirror opened = opener.get();
      try {
        opened.migrate();
      } catch (RuntimeException e) {
        opened.close();
        throw e;
      }
      mirror = opened;
    }
    return mirror;
  }

  private void closeMirror() {
    StateTableMirror current = mirror;
    mirror = null;
    if (current != null) {
      try {
        current.close();
      } catch (RuntimeException e) {
        log.debug("Closing the state table mirror failed", e);
      }
    }
  }

  private synchronized long lagMs() {
    return unmirrored.isEmpty() ? 0 : System.currentTimeMillis() - oldestUnmirroredMs;
  }

  private synchronized int pendingKeys() {
    return unmirrored.size();
  }

  /** Tries a last write (bounded), then stops the thread and closes the mirror. */
  @Override
  public void close() {
    if (executor == null || executor.isShutdown()) {
      return;
    }
    executor.submit(this::flush);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    closeMirror();
    if (pendingKeys() > 0) {
      log.warn(
          "{} committed cursor keys were not mirrored before the task stopped; Connect offsets"
              + " hold them and the next start mirrors them",
          pendingKeys());
    }
  }
}
