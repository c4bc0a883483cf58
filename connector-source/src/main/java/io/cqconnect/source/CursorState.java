package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cursors a task holds as committed: loaded on start (highest version per key among Connect
 * offsets and the mirror table) and advanced by the {@link SyncCommitter} when a sync's cursors are
 * durable in Connect's offset store. Thread-safe: the sync thread snapshots it for each sync.
 */
final class CursorState {

  private final Map<String, StateRow> rows = new TreeMap<>();

  /** Merges rows, keeping the highest version per key (ties go to the later row). */
  synchronized void merge(Collection<StateRow> more) {
    for (StateRow row : more) {
      StateRow held = rows.get(row.key());
      if (held == null || row.compareVersionTo(held) >= 0) {
        rows.put(row.key(), row);
      }
    }
  }

  synchronized List<StateRow> snapshot() {
    return new ArrayList<>(rows.values());
  }

  synchronized Set<String> keys() {
    return Set.copyOf(rows.keySet());
  }

  synchronized int size() {
    return rows.size();
  }
}
