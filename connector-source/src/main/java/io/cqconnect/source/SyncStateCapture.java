package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import io.cqconnect.state.StateRows;
import io.cqconnect.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state store the plugin sees during one sync: reads return the cursors committed before the
 * sync started; writes (the plugin's {@code Flush}) are held as pending and never become visible to
 * reads, because they are not committed until the sync's rows are in Kafka.
 *
 * <p>One instance per sync, behind a state endpoint of its own, so a write from a failed sync can
 * never leak into the next one. Thread-safe: the gRPC executor writes, the sync thread drains.
 */
final class SyncStateCapture implements StateStore {

  private final String stateTable;
  private final List<StateRow> committed;
  private final Map<String, StateRow> pending = new LinkedHashMap<>();
  private boolean sealed;

  SyncStateCapture(String stateTable, List<StateRow> committed) {
    this.stateTable = stateTable;
    this.committed = List.copyOf(committed);
  }

  @Override
  public void migrate(String table) {
    requireStateTable(table);
  }

  @Override
  public List<StateRow> read(String table) {
    requireStateTable(table);
    return committed;
  }

  @Override
  public synchronized void write(String table, List<StateRow> rows) {
    requireOpen(table);
    for (StateRow row : rows) {
      if (StateRows.replaces(row, pending.get(row.key()))) {
        pending.put(row.key(), row);
      }
    }
  }

  /**
   * Numbers each row above the key's highest version among the committed cursors and this sync's
   * pending ones, so a plugin whose state client keeps no versions moves its cursor forward even
   * after an offsets edit, a reset or a versioned writer raised the version.
   */
  @Override
  public synchronized List<StateRow> writeUnversioned(String table, List<StateRow> rows) {
    requireOpen(table);
    List<StateRow> held = new ArrayList<>(committed);
    held.addAll(pending.values());
    List<StateRow> stored = StateRows.asNewest(rows, StateRows.byKey(held));
    stored.forEach(row -> pending.put(row.key(), row));
    return stored;
  }

  /** True for the state table this endpoint serves: it exists from the start of the sync. */
  @Override
  public boolean exists(String table) {
    return stateTable.equals(table);
  }

  /** Stops accepting writes and returns the cursors the plugin wrote during the sync. */
  synchronized List<StateRow> seal() {
    sealed = true;
    return new ArrayList<>(pending.values());
  }

  private void requireOpen(String table) {
    requireStateTable(table);
    if (sealed) {
      throw new IllegalStateException(
          "the sync this state endpoint belongs to has ended; state written now would be lost");
    }
  }

  private void requireStateTable(String table) {
    if (!stateTable.equals(table)) {
      throw new IllegalArgumentException(
          "this state endpoint serves table '"
              + stateTable
              + "' (state.table.name), not '"
              + table
              + "'");
    }
  }

  @Override
  public void close() {}
}
