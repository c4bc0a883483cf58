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
 * <p>In a full refresh ({@link FullRefresh}) reads return no cursors, so the plugin reads its
 * incremental tables from scratch, and a versioned write is numbered above the key's committed
 * version ({@link #fromScratch}): the plugin's state client counts from 0 since it read nothing,
 * and without the shift its cursor would lose to the committed one under "highest version wins"
 * (here, in Connect's offsets, in the mirror table and for the CloudQuery CLI).
 *
 * <p>One instance per sync, behind a state endpoint of its own, so a write from a failed sync can
 * never leak into the next one. Thread-safe: the gRPC executor writes, the sync thread drains.
 */
final class SyncStateCapture implements StateStore {

  private final String stateTable;
  private final List<StateRow> committed;
  private final boolean fromScratch;
  private final Map<String, StateRow> base;
  private final Map<String, StateRow> pending = new LinkedHashMap<>();
  private boolean sealed;

  SyncStateCapture(String stateTable, List<StateRow> committed) {
    this(stateTable, committed, false);
  }

  /**
   * @param committed the task's committed cursors
   * @param fromScratch a full refresh: reads return nothing, versioned writes are shifted above
   *     {@code committed}
   */
  SyncStateCapture(String stateTable, List<StateRow> committed, boolean fromScratch) {
    this.stateTable = stateTable;
    this.committed = List.copyOf(committed);
    this.fromScratch = fromScratch;
    this.base = StateRows.byKey(this.committed);
  }

  @Override
  public void migrate(String table) {
    requireStateTable(table);
  }

  @Override
  public List<StateRow> read(String table) {
    requireStateTable(table);
    return fromScratch ? List.of() : committed;
  }

  @Override
  public synchronized void write(String table, List<StateRow> rows) {
    requireOpen(table);
    for (StateRow written : rows) {
      StateRow row = fromScratch ? fromScratch(written, base.get(written.key())) : written;
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

  /**
   * A versioned row written in a full refresh, by a client that read no cursor and so counts its
   * versions from 0: stored at the committed version plus its own (unsigned, capped at the
   * maximum), so it replaces the committed cursor and later writes of the sync still replace it.
   */
  static StateRow fromScratch(StateRow written, StateRow committed) {
    if (committed == null) {
      return written;
    }
    long version = committed.version() + written.version();
    if (Long.compareUnsigned(version, committed.version()) < 0) {
      version = -1L; // 2^64-1 unsigned; a tie goes to the later row
    }
    return new StateRow(written.key(), written.value(), version);
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
