package io.cqconnect.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge rule of CloudQuery's Go state client, shared by every store and by state loading: per
 * key the row with the highest version wins, and on equal versions the later row wins (the Go
 * client skips a row only when the version it already holds is strictly greater).
 */
public final class StateRows {

  private StateRows() {}

  /**
   * True if {@code candidate}, arriving after {@code current}, replaces it: its version is greater
   * than or equal to the current one (unsigned), or there is no current row.
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
}
