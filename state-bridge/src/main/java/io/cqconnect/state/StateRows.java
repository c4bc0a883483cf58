package io.cqconnect.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules by which state rows replace each other, shared by every store and by state loading: the
 * merge rule of CloudQuery's Go state client for versioned rows, and the rule for rows written
 * without a version ({@link #asNewest}).
 */
public final class StateRows {

  private StateRows() {}

  /**
   * Merge rule for versioned rows: per key the row with the highest version wins, and on equal
   * versions the later row wins (the Go client skips a row only when the version it already holds
   * is strictly greater).
   *
   * <p>True if {@code candidate}, arriving after {@code current}, replaces it: its version is
   * greater than or equal to the current one (unsigned), or there is no current row.
   */
  public static boolean replaces(StateRow candidate, StateRow current) {
    return current == null || candidate.compareVersionTo(current) >= 0;
  }

  /**
   * Collapses rows to one per key, keeping the highest version; rows are taken in iteration order,
   * so among equal versions the last one wins. The result keeps the order in which keys first
   * appeared.
   */
  public static List<StateRow> latestPerKey(Iterable<StateRow> rows) {
    return new ArrayList<>(byKey(rows).values());
  }

  /** Like {@link #latestPerKey(Iterable)}, as a map from key to winning row (key order kept). */
  public static Map<String, StateRow> byKey(Iterable<StateRow> rows) {
    Map<String, StateRow> result = new LinkedHashMap<>();
    for (StateRow row : rows) {
      StateRow current = result.get(row.key());
      if (replaces(row, current)) {
        result.put(row.key(), row);
      }
    }
    return result;
  }

  /**
   * Merges two sources of state, for example Connect offsets and a mirror table: per key the
   * highest version wins and equal versions go to {@code later}.
   */
  public static List<StateRow> merge(Collection<StateRow> earlier, Collection<StateRow> later) {
    List<StateRow> all = new ArrayList<>(earlier.size() + later.size());
    all.addAll(earlier);
    all.addAll(later);
    return latestPerKey(all);
  }

  /**
   * The rule for a row written without a version, decided here for every store (the task's per-sync
   * endpoint and the stores of {@code cq-state-server}): it becomes the newest version of its key,
   * one above the highest version held for the key ({@code current}), or 1 for a new key.
   *
   * <p>Why: such rows come from state clients that send only {@code key} and {@code value} (Go SDKs
   * before v4.67, the Python SDK). CloudQuery's destinations store them with a plain upsert on
   * {@code key} (SQLite {@code insert or replace}, PostgreSQL {@code on conflict do update}), so
   * the newest write wins whatever version the row had before. Counting them as version 0 instead
   * would drop every write after an offsets edit, a reset or a versioned writer, and the plugin
   * would restart from the same cursor on every sync. The number continues the key's sequence the
   * way the Go SDK's versioned client numbers a change, so a versioned client reading the row later
   * carries on from it. At the unsigned maximum the version stays there: ties go to the later row,
   * so the write still wins.
   *
   * @param written the row as written; its version is ignored
   * @param current the row held for the key with its highest version, or null if there is none
   * @return {@code written} with the version it is stored under
   */
  public static StateRow asNewest(StateRow written, StateRow current) {
    long version;
    if (current == null) {
      version = 1;
    } else if (current.version() == -1L) {
      version = -1L; // 2^64-1 unsigned: cannot grow, and a tie already goes to the later row
    } else {
      version = current.version() + 1;
    }
    return new StateRow(written.key(), written.value(), version);
  }

  /**
   * {@link #asNewest(StateRow, StateRow)} for a batch written without versions, in order: a key
   * repeated in the batch gets a higher version each time, so the last one wins.
   *
   * @param written the rows as written; their versions are ignored
   * @param current the rows held before the batch, by key, each with its highest version
   * @return the rows with the versions they are stored under, in the order of {@code written}
   */
  public static List<StateRow> asNewest(List<StateRow> written, Map<String, StateRow> current) {
    Map<String, StateRow> held = new HashMap<>(current);
    List<StateRow> result = new ArrayList<>(written.size());
    for (StateRow row : written) {
      StateRow stored = asNewest(row, held.get(row.key()));
      held.put(row.key(), stored);
      result.add(stored);
    }
    return result;
  }
}
