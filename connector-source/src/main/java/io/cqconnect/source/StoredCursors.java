package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Tells when committed cursors are in Connect's offset store (written by the periodic offset flush,
 * {@code offset.flush.interval.ms}), so the sync thread starts the next sync only then: a worker
 * crash can then repeat at most the one sync whose cursors were not stored yet.
 */
final class StoredCursors {

  private static final long POLL_MS = 200;

  private final String source;
  private final String stateTable;
  private final OffsetStorageReader offsets;

  StoredCursors(String source, String stateTable, OffsetStorageReader offsets) {
    this.source = source;
    this.stateTable = stateTable;
    this.offsets = offsets;
  }

  /**
   * Waits until every row's key has at least the row's version in the offset store.
   *
   * @return false when {@code running} turned false first
   */
  boolean await(List<StateRow> rows, BooleanSupplier running) throws InterruptedException {
    List<Map<String, Object>> partitions = new ArrayList<>(rows.size());
    rows.forEach(row -> partitions.add(CursorOffset.partition(source, stateTable, row.key())));
    while (running.getAsBoolean()) {
      if (stored(rows, offsets.offsets(partitions))) {
        return true;
      }
      Thread.sleep(POLL_MS);
    }
    return false;
  }

  private boolean stored(
      List<StateRow> rows, Map<Map<String, Object>, Map<String, Object>> current) {
    for (StateRow row : rows) {
      Map<String, Object> offset =
          current.get(CursorOffset.partition(source, stateTable, row.key()));
      if (offset == null) {
        return false;
      }
      StateRow held =
          CursorOffset.fromMaps(CursorOffset.partition(source, stateTable, row.key()), offset)
              .toRow();
      if (held.compareVersionTo(row) < 0) {
        return false;
      }
    }
    return true;
  }
}
