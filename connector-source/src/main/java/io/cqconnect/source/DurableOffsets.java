package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Tells whether a sync's cursors (and the task's key index naming them) can be read back from
 * Connect's offset store, which the {@link SyncCommitter} requires before it mirrors them and lets
 * the next sync start.
 *
 * <p>Why: in at-least-once mode Kafka acknowledging the state records is not enough. The worker
 * writes offsets to its offsets topic only every {@code offset.flush.interval.ms}; a worker that
 * dies before that loses them, and its successor would fetch again every sync since the last flush,
 * not just the one that was running. Waiting for this keeps the promise that a crash re-fetches at
 * most the last unfinished sync, and that the mirrored table never leads Connect's offsets. Under
 * exactly-once the offsets commit with the records, so the first read already finds them.
 *
 * <p>Cost: in distributed mode each read of the store reads the offsets topic to its end. {@link
 * #check} reads at once, then again after 100 ms, doubling up to 2 s between reads while the same
 * sync waits: about 35 reads over the worker's default 60 s flush interval instead of one per 100
 * ms poll (600), for at most 2 s more before the next sync starts.
 */
final class DurableOffsets {

  static final long FIRST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  static final long MAX_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final String source;
  private final String stateTable;
  private final int task;
  private final OffsetStorageReader offsets;
  private final LongSupplier nanoTime;

  /** The rows of the sync being waited for (identity), when the next read is due, and after it. */
  private List<StateRow> waitingFor;

  private long nextReadNanos;
  private long intervalNanos;

  DurableOffsets(String source, String stateTable, int task, OffsetStorageReader offsets) {
    this(source, stateTable, task, offsets, System::nanoTime);
  }

  /** With the clock that paces {@link #check}. */
  DurableOffsets(
      String source,
      String stateTable,
      int task,
      OffsetStorageReader offsets,
      LongSupplier nanoTime) {
    this.source = source;
    this.stateTable = stateTable;
    this.task = task;
    this.offsets = offsets;
    this.nanoTime = nanoTime;
  }

  /**
   * Whether the offset store holds a waiting sync's rows, asked once per {@code poll()}: false
   * without reading the store until the next read is due (see the class comment). A new list of
   * rows (the next sync) is read at once.
   *
   * @throws RuntimeException when the store cannot be read (the caller asks again later)
   */
  boolean check(List<StateRow> rows) {
    if (rows.isEmpty()) {
      return true;
    }
    long now = nanoTime.getAsLong();
    if (rows != waitingFor) {
      waitingFor = rows;
      nextReadNanos = now;
      intervalNanos = FIRST_INTERVAL_NANOS;
    }
    if (now - nextReadNanos < 0) {
      return false;
    }
    nextReadNanos = now + intervalNanos;
    intervalNanos = Math.min(intervalNanos * 2, MAX_INTERVAL_NANOS);
    boolean stored = stored(rows);
    if (stored) {
      waitingFor = null;
    }
    return stored;
  }

  /**
   * Whether the offset store holds every row (at its version or higher) and the index names it: one
   * read of the store, none for no rows.
   *
   * @throws RuntimeException when the store cannot be read (the caller asks again later)
   */
  boolean stored(List<StateRow> rows) {
    if (rows.isEmpty()) {
      return true;
    }
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (StateRow row : rows) {
      partitions.add(CursorOffset.partition(source, stateTable, row.key()));
    }
    Map<String, Object> indexPartition = KeyIndex.partition(source, stateTable, task);
    partitions.add(indexPartition);
    Map<Map<String, Object>, Map<String, Object>> found = offsets.offsets(partitions);
    Map<String, Object> index = found.get(indexPartition);
    Set<String> indexed = index == null ? Set.of() : KeyIndex.keys(index);
    for (StateRow row : rows) {
      Map<String, Object> partition = CursorOffset.partition(source, stateTable, row.key());
      Map<String, Object> offset = found.get(partition);
      if (offset == null || !indexed.contains(row.key())) {
        return false;
      }
      if (CursorOffset.fromMaps(partition, offset).toRow().compareVersionTo(row) < 0) {
        return false;
      }
    }
    return true;
  }
}
