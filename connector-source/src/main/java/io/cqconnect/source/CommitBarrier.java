package io.cqconnect.source;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, per sync generation, the records the task returned from {@code poll()} and those Kafka
 * acknowledged, separately for data records and for the records that commit the sync (cursors, key
 * index, markers): the {@link SyncCommitter} reads the counts to decide when a sync's cursors may
 * be written and when they are in Kafka.
 *
 * <p>Cost per record: returned records are counted per batch (one lookup and one add for a whole
 * plugin message); each record is bound to its generation's counters when it is returned, so its
 * ack is one increment with no lookup.
 *
 * <p>Threads: the poll thread opens, counts and forgets generations; the producer's callback thread
 * calls {@link #acked}. Only the counters are shared, and each is atomic. A record reaches the
 * callback thread through the producer's send, which publishes the binding made before it. An ack
 * for a generation that is no longer open (an aborted sync's rows arriving late) is ignored: it
 * lands on counters nobody reads any more.
 */
final class CommitBarrier {

  private final Map<Long, Counts> generations = new ConcurrentHashMap<>();

  /** Starts counting a sync's records. */
  void open(long generation) {
    generations.put(generation, new Counts());
  }

  /** Stops counting a sync (committed or aborted): its late acks are ignored. */
  void forget(long generation) {
    generations.remove(generation);
  }

  /** A record is returned from {@code poll()}. */
  void emitted(SyncRecord record) {
    emitted(List.of(record));
  }

  /**
   * Records are returned from {@code poll()}: counted with one add per kind for each run of records
   * of the same generation (a plugin message's records share one).
   */
  void emitted(List<? extends SyncRecord> records) {
    int n = records.size();
    int i = 0;
    while (i < n) {
      long generation = records.get(i).generation();
      Counts counts = generations.get(generation);
      long data = 0;
      long commit = 0;
      for (; i < n && records.get(i).generation() == generation; i++) {
        SyncRecord record = records.get(i);
        if (counts != null) {
          record.bind(counts);
          if (record.kind() == SyncRecord.Kind.DATA) {
            data++;
          } else {
            commit++;
          }
        }
      }
      if (counts != null) {
        counts.dataEmitted.addAndGet(data);
        counts.commitEmitted.addAndGet(commit);
      }
    }
  }

  /** A record is acknowledged by Kafka (or dropped by a transform or an error tolerance). */
  void acked(SyncRecord record) {
    Counts counts = record.counts();
    if (counts == null) {
      // Not bound (returned while its generation was not open): normally finds nothing either.
      counts = generations.get(record.generation());
    }
    if (counts != null) {
      (record.kind() == SyncRecord.Kind.DATA ? counts.dataAcked : counts.commitAcked)
          .incrementAndGet();
    }
  }

  /** Whether Kafka acknowledged every data record of the sync returned so far. */
  boolean dataAcked(long generation) {
    Counts counts = generations.get(generation);
    return counts != null && counts.dataAcked.get() >= counts.dataEmitted.get();
  }

  /** Whether Kafka acknowledged every commit record of the sync returned so far. */
  boolean commitAcked(long generation) {
    Counts counts = generations.get(generation);
    return counts != null && counts.commitAcked.get() >= counts.commitEmitted.get();
  }

  /** Records still unacknowledged in open generations (for metrics and logs). */
  long outstanding() {
    long n = 0;
    for (Counts c : generations.values()) {
      n += c.dataEmitted.get() - c.dataAcked.get() + c.commitEmitted.get() - c.commitAcked.get();
    }
    return n;
  }

  /** The counters of one generation, which a returned record is bound to. */
  static final class Counts {
    final AtomicLong dataEmitted = new AtomicLong();
    final AtomicLong dataAcked = new AtomicLong();
    final AtomicLong commitEmitted = new AtomicLong();
    final AtomicLong commitAcked = new AtomicLong();
  }
}
