package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 */
final class DurableOffsets {

  private final String source;
  private final String stateTable;
  private final int task;
  private final OffsetStorageReader offsets;

  DurableOffsets(String source, String stateTable, int task, OffsetStorageReader offsets) {
    this.source = source;
    this.stateTable = stateTable;
    this.task = task;
    this.offsets = offsets;
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
