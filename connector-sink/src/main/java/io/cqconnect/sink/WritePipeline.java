package io.cqconnect.sink;

import io.cqconnect.config.MigrateMode;
import io.cqconnect.config.SinkConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queued operations to the destination and decides what is confirmed: streams them on an open
 * {@code Write}, half-closes the stream when a batch is due ({@code batch.max.rows}, {@code
 * batch.max.bytes}, {@code batch.timeout.ms}) and collects the plugin's answer in the background
 * while the task converts the next batch (at most one stream outstanding), sends delete-stales on
 * their own stream once everything before them is confirmed, and confirms offsets in {@link
 * OffsetTracker} only from answered streams. A stream whose {@code migrate_table} may create or
 * change a table (a schema no answered stream carried) is never overlapped with another.
 *
 * <p>Failures are thrown to the caller; the task's retry policy ({@link WriteRetries}) calls {@link
 * #abort(String)}: the operations of the failed stream and everything queued after them are sent
 * again, in order, on the next stream. Used by the task thread only.
 */
final class WritePipeline implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WritePipeline.class);

  private final SinkConfig config;
  private final String label;
  private final DestinationPlugin plugin;
  private final WriteBuffer buffer;
  private final OffsetTracker offsets;
  private final SinkMetrics metrics;
  private final long batchTimeoutNanos;
  private final boolean migrateForce;
  private final ExecutorService completer;

  /** Per table, the schema the destination has applied: a stream that migrated it was answered. */
  private final Map<String, TableShape> settled = new HashMap<>();

  private WriteSession session;
  private Completion completion;
  private boolean flushRequested;
  private long confirmations;

  WritePipeline(
      SinkConfig config,
      String label,
      DestinationPlugin plugin,
      WriteBuffer buffer,
      OffsetTracker offsets,
      SinkMetrics metrics) {
    this.config = config;
    this.label = label;
    this.plugin = plugin;
    this.buffer = buffer;
    this.offsets = offsets;
    this.metrics = metrics;
    this.batchTimeoutNanos = config.batchTimeout().toNanos();
    this.migrateForce = config.migrateMode() == MigrateMode.FORCED;
    this.completer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "cq-sink-" + label + "-complete");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** How many streams the destination has answered successfully so far. */
  long confirmations() {
    return confirmations;
  }

  /**
   * Whether this task migrates {@code table} before a delete queued now: an answered stream carried
   * its {@code migrate_table}, or the outstanding stream or the queue has one (an insert or a
   * marker's migration, sent before the delete on the same or an earlier stream).
   */
  boolean migrates(String table) {
    return settled.containsKey(table)
        || (completion != null && completion.migrated().containsKey(table))
        || buffer.hasShapeOf(table);
  }

  /**
   * Sends {@code op} on a {@code Write} of its own and waits for the answer, so that a failure is
   * about this operation only. Call with nothing queued or outstanding ({@code write(true)} first).
   *
   * @throws RuntimeException the stream's failure, as mapped by the plugin client
   */
  void writeAlone(WriteOp op) {
    if (!buffer.isEmpty() || completion != null || session != null) {
      throw new IllegalStateException("writeAlone with operations queued or outstanding");
    }
    writeOwnStream(List.of(op));
    confirmations++;
  }

  /**
   * Sends a {@code Write} without messages: whether the destination answers it with success. After
   * a refused delete it shows whether the plugin kept the delete queued (CloudQuery's SDK batch
   * writer, as in the SQLite destination, repeats it at every later flush and fails again).
   */
  boolean emptyWriteSucceeds() {
    try {
      writeOwnStream(List.of());
      return true;
    } catch (RuntimeException e) {
      log.info("sink task {}: an empty Write failed: {}", label, e.getMessage());
      return false;
    }
  }

  /** One {@code Write} stream carrying {@code ops} only, answered before this returns. */
  private void writeOwnStream(List<WriteOp> ops) {
    WriteSession own = new WriteSession(plugin.client(), migrateForce, config.pluginCallTimeout());
    try {
      ops.forEach(own::send);
      own.complete();
    } catch (RuntimeException e) {
      own.cancel("write failed");
      throw e;
    }
  }

  /** Makes the next {@link #write} complete the stream (a marker arrived, or a retry is due). */
  void requestFlush() {
    flushRequested = true;
  }

  /** How long until the batch timeout is due, or null when nothing is queued. */
  Duration untilDue() {
    if (buffer.isEmpty()) {
      return null;
    }
    return Duration.ofNanos(Math.max(0, batchTimeoutNanos - buffer.ageNanos(System.nanoTime())));
  }

  /**
   * Sends what is queued and completes the stream when a batch is due; with {@code now}, waits
   * until everything consumed so far is confirmed.
   */
  void write(boolean now) {
    if (completion != null && (now || completion.isDone())) {
      collectCompletion();
    }
    if (buffer.isEmpty() && completion == null) {
      offsets.confirmAll(); // everything consumed was written or needed no write
      return;
    }
    if (buffer.hasData()) {
      sendQueued();
    }
    boolean due =
        now
            || flushRequested
            || buffer.full(config.batchMaxRows(), config.batchMaxBytes())
            || buffer.ageNanos(System.nanoTime()) >= batchTimeoutNanos;
    if (due) {
      flush(now || buffer.hasStaleDeletes());
    }
  }

  private void sendQueued() {
    if (session == null) {
      session = new WriteSession(plugin.client(), migrateForce, config.pluginCallTimeout());
    }
    for (WriteOp op : List.copyOf(buffer.unsent())) {
      TableShape migration = session.migrationFor(op);
      if (completion != null
          && migration != null
          && !migration.sameSchema(settled.get(migration.table()))) {
        // This migration may create or alter the table: never beside another stream, whose own
        // migration may be doing the same (PostgreSQL fails two concurrent CREATE TABLE IF NOT
        // EXISTS of one table with a duplicate key on pg_type). Once a stream that migrated this
        // schema is answered, later streams migrate it again (a no-op) while the last one
        // completes.
        log.debug(
            "sink task {}: waiting for the outstanding stream before migrating table '{}'",
            label,
            migration.table());
        collectCompletion();
      }
      session.send(op);
    }
    buffer.markSent();
  }

  private void flush(boolean wait) {
    if (buffer.hasData()) {
      sendQueued();
      if (completion != null) {
        collectCompletion();
      }
      Map<String, Long> rows = buffer.rowsByTable();
      completion =
          Completion.start(session, buffer.takeData(), offsets.snapshot(), rows, completer);
      session = null;
    }
    flushRequested = false;
    if (!wait) {
      return;
    }
    if (completion != null) {
      collectCompletion();
    }
    if (buffer.hasStaleDeletes()) {
      sendStaleDeletes();
    }
    if (buffer.isEmpty()) {
      offsets.confirmAll();
    }
  }

  private void sendStaleDeletes() {
    Map<TopicPartition, Long> covered = offsets.snapshot();
    WriteSession stale =
        new WriteSession(plugin.client(), migrateForce, config.pluginCallTimeout());
    try {
      for (WriteOp.StaleDelete delete : buffer.staleDeletes()) {
        log.info(
            "sink task {}: deleting rows of source '{}' older than {} from table '{}'",
            label,
            delete.source(),
            delete.syncTime(),
            delete.table());
        stale.send(delete);
      }
      stale.complete();
    } catch (RuntimeException e) {
      stale.cancel("delete-stale failed");
      throw e;
    }
    confirmations++;
    metrics.staleDeleted(buffer.staleDeletes().size());
    buffer.clearStaleDeletes();
    offsets.confirm(covered);
  }

  /**
   * Waits for the outstanding stream. On success its offsets are confirmed (unless a delete-stale
   * is pending: the marker's offset must wait for it); on failure its operations go back in front
   * of the queue.
   */
  private void collectCompletion() {
    Completion done = completion;
    completion = null;
    long ms;
    try {
      ms = done.await();
    } catch (RuntimeException e) {
      buffer.restore(done.ops(), System.nanoTime());
      throw e;
    }
    log.debug("sink task {}: stream confirmed in {} ms: {}", label, ms, done.rowsByTable());
    confirmations++;
    settled.putAll(done.migrated());
    metrics.flushed(ms, done.rowsByTable());
    if (!buffer.hasStaleDeletes()) {
      offsets.confirm(done.offsets());
    }
  }

  /** After a failure: drops the open streams; everything unconfirmed is sent again next time. */
  void abort(String why) {
    if (session != null) {
      session.cancel(why);
      session = null;
    }
    if (completion != null) {
      completion.cancel(why);
      buffer.restore(completion.ops(), System.nanoTime());
      completion = null;
    }
    buffer.markAllUnsent();
    flushRequested = true;
  }

  /** Drops everything queued or outstanding (the records will be consumed again). */
  void discard(String why) {
    abort(why);
    buffer.clear();
    flushRequested = false;
  }

  /** Cancels open streams and stops the background waiter; unconfirmed data is dropped. */
  @Override
  public void close() {
    if (session != null) {
      session.cancel("task stopping");
      session = null;
    }
    if (completion != null) {
      completion.cancel("task stopping");
      completion = null;
    }
    completer.shutdownNow();
  }
}
