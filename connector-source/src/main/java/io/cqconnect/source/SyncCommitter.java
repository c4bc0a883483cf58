package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each sync generation from its start to its commit or abort: returns its records, writes its
 * cursors and markers once Kafka holds its rows, and hands the cursors to the mirror once Connect's
 * offset store holds them.
 *
 * <p>A sync goes through these steps, read from the {@link SyncEvent}s {@code poll()} drains and
 * advanced by {@link #commitReady} at the end of every {@code poll()}:
 *
 * <ol>
 *   <li>{@link SyncEvent.Started}: its records are counted by the {@link CommitBarrier} and
 *       returned.
 *   <li>{@link SyncEvent.Ended}: once Kafka acknowledged every data record of the sync (at once
 *       when the sync is one exactly-once transaction, where acks come only after the commit), the
 *       {@link CommitRecords} are returned: one state record per cursor (its Connect offset), the
 *       key index, the end-of-sync markers. Under exactly-once the last of them commits the
 *       transaction; a sync with nothing to write commits it with a {@code synced} marker.
 *   <li>Once Kafka acknowledged every commit record and the offset store holds the cursors ({@link
 *       DurableOffsets}), the cursors become the task's committed ones, are counted and queued for
 *       the mirror ({@link MirrorWriter}), and the sync's {@code committed} future completes: the
 *       sync thread starts the next sync only then.
 * </ol>
 *
 * <p>{@link SyncEvent.Aborted} drops the sync's cursors and completes its future exceptionally;
 * under exactly-once it aborts the transaction with an {@code aborted} marker.
 *
 * <p>Why the offset-store wait is a check per {@code poll()} and never a blocking wait: the worker
 * takes the offsets of acknowledged records as committable only between two polls (before each
 * {@code poll()}; its offset flush thread then writes them every {@code offset.flush.interval.ms}),
 * and under exactly-once it commits the transaction after {@code poll()} returns. A {@code poll()}
 * blocked until the offsets are stored would wait for itself. The check is made only while a sync
 * waits for it, at most once per {@code poll()}; {@link DurableOffsets#check} spaces its reads of
 * the offset store (in distributed mode a read to the end of the offsets topic) up to 2 s apart.
 * Keeping the check here rather than on the sync thread keeps the path cursor, state record,
 * offset, mirror in this one class.
 *
 * <p>Threads: the task's poll thread only, except {@link #acked}, which the producer's callback
 * thread calls (it only counts, in the {@link CommitBarrier}). The sync thread never calls it.
 */
final class SyncCommitter {

  private static final Logger log = LoggerFactory.getLogger(SyncCommitter.class);
  private static final long LOG_EVERY_NANOS = Duration.ofSeconds(60).toNanos();

  private final String source;
  private final CommitBarrier barrier = new CommitBarrier();
  private final CommitRecords commits;
  private final RecordBuilder tables;
  private final TransactionContext transactions;
  private final DurableOffsets durable;
  private final CursorState cursors;
  private final MirrorWriter mirror;
  private final SourceMetrics metrics;
  private Sync current;

  /**
   * @param tables the sync thread's record builder, read for the markers' table facts
   * @param transactions the task's transaction context; null unless the sync's records commit in
   *     one exactly-once transaction ({@code transaction.boundary=connector})
   * @param cursors the task's committed cursors, advanced when a sync is handed over
   */
  SyncCommitter(
      String source,
      CommitRecords commits,
      RecordBuilder tables,
      TransactionContext transactions,
      DurableOffsets durable,
      CursorState cursors,
      MirrorWriter mirror,
      SourceMetrics metrics) {
    this.source = source;
    this.commits = commits;
    this.tables = tables;
    this.transactions = transactions;
    this.durable = durable;
    this.cursors = cursors;
    this.mirror = mirror;
    this.metrics = metrics;
  }

  /** Adds what the event brings to the batch; false when the batch must be returned now. */
  boolean accept(SyncEvent event, List<SourceRecord> batch) {
    if (event instanceof SyncEvent.Started started) {
      start(started);
    } else if (event instanceof SyncEvent.Records records) {
      barrier.emitted(records.records());
      batch.addAll(records.records());
    } else if (event instanceof SyncEvent.Ended ended) {
      if (isCurrent(ended.generation())) {
        current.ended = ended;
        current.endedNanos = System.nanoTime();
      }
    } else if (event instanceof SyncEvent.Aborted aborted) {
      return abort(aborted, batch);
    } else if (event instanceof SyncEvent.Failed failed) {
      throw failed.cause() instanceof ConnectException ce
          ? ce
          : new ConnectException(failed.cause());
    }
    return true;
  }

  /**
   * Moves the current sync on as far as it can go now: returns its commit records once its rows are
   * in Kafka, and hands its cursors over once they are durable. Called at the end of every {@code
   * poll()}, so a sync waiting for acks or for the offset flush is checked at poll pace.
   */
  void commitReady(List<SourceRecord> batch) {
    Sync sync = current;
    if (sync == null || sync.ended == null) {
      return;
    }
    if (sync.commit == null && (transactions != null || barrier.dataAcked(sync.generation))) {
      emitCommit(sync, batch);
    }
    if (sync.commit != null && barrier.commitAcked(sync.generation) && isDurable(sync)) {
      handOver(sync);
    } else {
      logWaiting(sync);
    }
  }

  /**
   * Whether the current sync ended and waits for Kafka to acknowledge its rows or its commit
   * records: then the next step is due within milliseconds, not at the offset flush.
   */
  boolean awaitingAcks() {
    Sync sync = current;
    return sync != null
        && sync.ended != null
        && (sync.commit == null || !barrier.commitAcked(sync.generation));
  }

  /** A record is acknowledged by Kafka (called on the producer's callback thread). */
  void acked(SourceRecord record) {
    if (record instanceof SyncRecord r) {
      barrier.acked(r);
    }
  }

  /** Records returned but not yet acknowledged (for the metrics gauge). */
  long outstanding() {
    return barrier.outstanding();
  }

  private void start(SyncEvent.Started started) {
    if (current != null) {
      throw new IllegalStateException(
          "Sync "
              + started.generation()
              + " of source '"
              + source
              + "' started before sync "
              + current.generation
              + " was committed or aborted; this is a bug in the source task, please report it");
    }
    barrier.open(started.generation());
    current = new Sync(started);
  }

  /** Returns the records committing the ended sync; under exactly-once they end its transaction. */
  private void emitCommit(Sync sync, List<SourceRecord> batch) {
    List<SyncRecord> records = commits.forSync(sync.ended, tables);
    if (records.isEmpty() && transactions != null) {
      // The sync's rows sit in an open transaction that must still be committed.
      records = List.of(commits.transactionMarker(sync.generation, "synced"));
    }
    sync.commit = records;
    barrier.emitted(records);
    batch.addAll(records);
    if (transactions != null) {
      transactions.commitTransaction(records.get(records.size() - 1));
    }
  }

  /** Whether the offset store holds the sync's cursors; a failed read is retried next poll. */
  private boolean isDurable(Sync sync) {
    try {
      return durable.check(sync.ended.pending());
    } catch (RuntimeException e) {
      log.warn(
          "Reading back the committed cursors of source '{}' failed, retrying: {}",
          source,
          e.getMessage());
      return false;
    }
  }

  /** The sync is committed: its cursors are the task's now and go to the mirror. */
  private void handOver(Sync sync) {
    current = null;
    barrier.forget(sync.generation);
    List<StateRow> rows = sync.ended.pending();
    if (!rows.isEmpty()) {
      cursors.merge(rows);
      metrics.stateKeysCommitted(rows.size());
      mirror.submit(rows);
    }
    sync.started.committed().complete(null);
  }

  private boolean abort(SyncEvent.Aborted aborted, List<SourceRecord> batch) {
    if (isCurrent(aborted.generation())) {
      current.started.committed().completeExceptionally(aborted.cause());
      current = null;
    }
    barrier.forget(aborted.generation());
    if (transactions == null) {
      return true;
    }
    // The failed sync's rows are in the open transaction: abort it, the retry sends them again.
    // The marker closes the aborted transaction even when this batch has no rows.
    SyncRecord marker = commits.transactionMarker(aborted.generation(), "aborted");
    batch.add(marker);
    transactions.abortTransaction(marker);
    return false;
  }

  private boolean isCurrent(long generation) {
    return current != null && current.generation == generation;
  }

  private void logWaiting(Sync sync) {
    long waited = System.nanoTime() - sync.endedNanos;
    if (waited < sync.nextLogNanos) {
      return;
    }
    sync.nextLogNanos += LOG_EVERY_NANOS;
    if (sync.commit == null || !barrier.commitAcked(sync.generation)) {
      log.info(
          "Sync {} of source '{}' is waiting for Kafka to acknowledge its records ({} left)",
          sync.generation,
          source,
          barrier.outstanding());
    } else {
      log.info(
          "Source '{}' waits for the worker to write the offsets of {} cursor keys"
              + " (offset.flush.interval.ms); the next sync starts after that",
          source,
          sync.ended.pending().size());
    }
  }

  /** The one sync that is not yet committed (the sync thread runs one at a time). */
  private static final class Sync {
    final long generation;
    final SyncEvent.Started started;
    SyncEvent.Ended ended;
    long endedNanos;
    long nextLogNanos = LOG_EVERY_NANOS;

    /** The records committing the sync, once returned; empty when it had nothing to write. */
    List<SyncRecord> commit;

    Sync(SyncEvent.Started started) {
      this.generation = started.generation();
      this.started = started;
    }
  }
}
