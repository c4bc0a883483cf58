package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until a sync's cursors (and the task's key index naming them) can be read back from
 * Connect's offset store, before the next sync starts and before they are mirrored.
 *
 * <p>Why: in at-least-once mode Kafka acknowledging the state records is not enough. The worker
 * writes offsets to its offsets topic only every {@code offset.flush.interval.ms}; a worker that
 * dies before that loses them, and its successor would fetch again every sync since the last flush,
 * not just the one that was running. Waiting here keeps the promise that a crash re-fetches at most
 * the last unfinished sync, and that the mirrored table never leads Connect's offsets. Under
 * exactly-once the offsets commit with the records, so the first read already finds them.
 */
final class DurableOffsets {

  private static final Logger log = LoggerFactory.getLogger(DurableOffsets.class);
  private static final Duration LOG_EVERY = Duration.ofSeconds(60);

  private final String source;
  private final String stateTable;
  private final int task;
  private final OffsetStorageReader offsets;
  private final Duration poll;

  DurableOffsets(
      String source, String stateTable, int task, OffsetStorageReader offsets, Duration poll) {
    this.source = source;
    this.stateTable = stateTable;
    this.task = task;
    this.offsets = offsets;
    this.poll = poll;
  }

  /**
   * Blocks until every row is in the offset store at its version or a higher one and the task's key
   * index names its key; false when {@code running} turns false first.
   *
   * @throws InterruptedException when the waiting thread is interrupted (the task is stopping)
   */
  boolean await(List<StateRow> rows, BooleanSupplier running) throws InterruptedException {
    long started = System.nanoTime();
    long nextLog = LOG_EVERY.toNanos();
    while (running.getAsBoolean()) {
      try {
        if (stored(rows)) {
          return true;
        }
      } catch (RuntimeException e) {
        if (!running.getAsBoolean()) {
          return false;
        }
        log.warn(
            "Reading back the committed cursors of source '{}' failed, retrying: {}",
            source,
            e.getMessage());
      }
      if (System.nanoTime() - started >= nextLog) {
        nextLog += LOG_EVERY.toNanos();
        log.info(
            "Source '{}' waits for the worker to write the offsets of {} cursor keys (offset.flush.interval.ms);"
                + " the next sync starts after that",
            source,
            rows.size());
      }
      Thread.sleep(poll.toMillis());
    }
    return false;
  }

  /** Whether the offset store holds every row (at its version or higher) and the index names it. */
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
