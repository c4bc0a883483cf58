package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The barrier between a sync's rows and its cursors: a cursor the plugin wrote during sync {@code
 * g} becomes committable only when sync {@code g}'s stream ended cleanly and (unless the records of
 * the whole sync commit in one transaction) Kafka acknowledged every record of that sync.
 *
 * <p>Threads: the sync thread {@link #open opens} and {@link #end ends} generations; the task's
 * poll thread counts {@link #emitted} records and takes {@link #readyToCommit ready} generations;
 * the producer's callback thread {@link #acked acknowledges} records. Every counter is atomic and a
 * generation moves through its states under its own monitor.
 */
final class CommitBarrier {

  private final boolean waitForAcks;
  private final Map<Long, Generation> generations = new ConcurrentHashMap<>();

  /**
   * @param waitForAcks false when the sync's data and cursors commit in one Kafka transaction
   *     (exactly-once with connector-defined boundaries): there acks come only after the commit
   */
  CommitBarrier(boolean waitForAcks) {
    this.waitForAcks = waitForAcks;
  }

  /** Starts tracking a sync; the future completes when its cursors are acknowledged by Kafka. */
  CompletableFuture<List<StateRow>> open(long generation) {
    Generation g = new Generation();
    generations.put(generation, g);
    return g.committed;
  }

  /** The sync's stream ended cleanly; its captured cursors wait for the data acks. */
  void end(long generation, List<StateRow> pending) {
    Generation g = generations.get(generation);
    if (g != null) {
      synchronized (g) {
        g.pending = List.copyOf(pending);
        g.ended = true;
      }
    }
  }

  /** The sync failed: its cursors are dropped, so the next sync starts from the committed ones. */
  void abort(long generation, Throwable cause) {
    Generation g = generations.remove(generation);
    if (g != null) {
      g.committed.completeExceptionally(cause);
    }
  }

  void emitted(SyncRecord record) {
    Generation g = generations.get(record.generation());
    if (g != null) {
      if (record.kind() == SyncRecord.Kind.DATA) {
        g.dataEmitted.incrementAndGet();
      } else {
        g.commitEmitted.incrementAndGet();
      }
    }
  }

  /** A record is acknowledged by Kafka (or dropped by a transform or an error tolerance). */
  void acked(SyncRecord record) {
    Generation g = generations.get(record.generation());
    if (g == null) {
      return;
    }
    if (record.kind() == SyncRecord.Kind.DATA) {
      g.dataAcked.incrementAndGet();
      return;
    }
    long acked = g.commitAcked.incrementAndGet();
    synchronized (g) {
      if (g.commitStarted && acked == g.commitEmitted.get()) {
        generations.remove(record.generation());
        g.committed.complete(g.pending);
      }
    }
  }

  /**
   * Generations whose cursors may be written now, oldest first; each is returned once. The caller
   * must then emit the commit records (at least one), counting each with {@link #emitted}.
   */
  List<Ready> readyToCommit() {
    List<Ready> ready = new ArrayList<>();
    for (Map.Entry<Long, Generation> e : generations.entrySet()) {
      Generation g = e.getValue();
      synchronized (g) {
        if (g.ended
            && !g.commitStarted
            && (!waitForAcks || g.dataAcked.get() >= g.dataEmitted.get())) {
          g.commitStarted = true;
          ready.add(new Ready(e.getKey(), g.pending));
        }
      }
    }
    ready.sort((a, b) -> Long.compare(a.generation(), b.generation()));
    return ready;
  }

  /** A ready generation had nothing to write (no cursors, no tables): it is committed as is. */
  void committedWithoutRecords(long generation) {
    Generation g = generations.remove(generation);
    if (g != null) {
      g.committed.complete(g.pending);
    }
  }

  /** Records still unacknowledged in open generations (for metrics and logs). */
  long outstanding() {
    long n = 0;
    for (Generation g : generations.values()) {
      n += g.dataEmitted.get() - g.dataAcked.get() + g.commitEmitted.get() - g.commitAcked.get();
    }
    return n;
  }

  /** A generation whose cursors are ready to be committed. */
  record Ready(long generation, List<StateRow> pending) {}

  private static final class Generation {
    final AtomicLong dataEmitted = new AtomicLong();
    final AtomicLong dataAcked = new AtomicLong();
    final AtomicLong commitEmitted = new AtomicLong();
    final AtomicLong commitAcked = new AtomicLong();
    final CompletableFuture<List<StateRow>> committed = new CompletableFuture<>();
    List<StateRow> pending = List.of();
    boolean ended;
    boolean commitStarted;
  }
}
