package io.cqconnect.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of the current batch, in the order their records were consumed (per table), kept
 * until a completed {@code Write} confirms them (they move to the completing stream first) so a
 * failed stream can be replayed in full on a new one. Delete-stale operations are held apart: they
 * are sent only after the data before them is confirmed.
 *
 * <p>Also answers the batching questions: is any table over its row or byte limit, and how long has
 * the oldest operation waited. Not thread-safe: owned by the task thread.
 */
final class WriteBuffer {

  private final List<WriteOp> ops = new ArrayList<>();
  private final List<WriteOp.StaleDelete> staleDeletes = new ArrayList<>();
  private final Map<String, long[]> perTable = new HashMap<>();
  private int sent;
  private long rows;
  private long bytes;
  private long oldestNanos = -1;

  /** Queues a data operation (insert or record delete). */
  void add(WriteOp op, long nowNanos) {
    ops.add(op);
    long[] counts = perTable.computeIfAbsent(op.table(), t -> new long[2]);
    counts[0] += op.rows();
    counts[1] += op.bytes();
    rows += op.rows();
    bytes += op.bytes();
    touch(nowNanos);
  }

  /** Queues a delete-stale, to be sent once everything queued before it is confirmed. */
  void addStaleDelete(WriteOp.StaleDelete delete, long nowNanos) {
    staleDeletes.add(delete);
    touch(nowNanos);
  }

  /** Data operations not yet handed to the current stream. */
  List<WriteOp> unsent() {
    return Collections.unmodifiableList(ops.subList(sent, ops.size()));
  }

  /** Records that every data operation has been handed to the current stream. */
  void markSent() {
    sent = ops.size();
  }

  /** After a failed stream: everything must be sent again on the next one. */
  void markAllUnsent() {
    sent = 0;
  }

  /** True when a queued insert or migration is of {@code table}. */
  boolean hasShapeOf(String table) {
    for (WriteOp op : ops) {
      if ((op instanceof WriteOp.Insert || op instanceof WriteOp.Migrate)
          && op.table().equals(table)) {
        return true;
      }
    }
    return false;
  }

  boolean hasData() {
    return !ops.isEmpty();
  }

  boolean hasStaleDeletes() {
    return !staleDeletes.isEmpty();
  }

  boolean isEmpty() {
    return ops.isEmpty() && staleDeletes.isEmpty();
  }

  /** The queued delete-stale operations, in order. */
  List<WriteOp.StaleDelete> staleDeletes() {
    return Collections.unmodifiableList(staleDeletes);
  }

  /** Rows queued per table since the last confirmation (for metrics). */
  Map<String, Long> rowsByTable() {
    Map<String, Long> out = new HashMap<>();
    perTable.forEach((table, counts) -> out.put(table, counts[0]));
    return out;
  }

  /**
   * Hands the data operations over to a completing stream and starts a new batch (its row, byte and
   * age limits count from zero). The operations come back with {@link #restore} if that stream
   * fails.
   */
  List<WriteOp> takeData() {
    List<WriteOp> taken = new ArrayList<>(ops);
    clearData();
    return taken;
  }

  /** Puts the operations of a failed stream back in front of the queued ones, all unsent. */
  void restore(List<WriteOp> failed, long nowNanos) {
    List<WriteOp> queued = new ArrayList<>(ops);
    clearData();
    for (WriteOp op : failed) {
      add(op, nowNanos);
    }
    for (WriteOp op : queued) {
      add(op, nowNanos);
    }
  }

  /** After a confirmed stream: the data operations are written. */
  void clearData() {
    ops.clear();
    perTable.clear();
    sent = 0;
    rows = 0;
    bytes = 0;
    if (staleDeletes.isEmpty()) {
      oldestNanos = -1;
    }
  }

  /** After the delete-stale stream is confirmed. */
  void clearStaleDeletes() {
    staleDeletes.clear();
    if (ops.isEmpty()) {
      oldestNanos = -1;
    }
  }

  /** Drops everything (the records will be consumed again). */
  void clear() {
    clearData();
    clearStaleDeletes();
  }

  /** True when some table has reached {@code maxRows} rows or {@code maxBytes} encoded bytes. */
  boolean full(long maxRows, long maxBytes) {
    for (long[] counts : perTable.values()) {
      if (counts[0] >= maxRows || counts[1] >= maxBytes) {
        return true;
      }
    }
    return false;
  }

  /** How long the oldest queued operation has waited, 0 when nothing is queued. */
  long ageNanos(long nowNanos) {
    return oldestNanos < 0 ? 0 : nowNanos - oldestNanos;
  }

  /** Rows queued in total. */
  long rows() {
    return rows;
  }

  /** Encoded bytes queued in total. */
  long bytes() {
    return bytes;
  }

  private void touch(long nowNanos) {
    if (oldestNanos < 0) {
      oldestNanos = nowNanos;
    }
  }
}
