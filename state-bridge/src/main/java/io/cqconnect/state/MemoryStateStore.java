package io.cqconnect.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A thread-safe in-memory {@link StateStore}: for tests and for callers that persist elsewhere. */
public final class MemoryStateStore implements StateStore {

  private final Map<String, Map<String, StateRow>> tables = new ConcurrentHashMap<>();

  @Override
  public void migrate(String table) {
    tables.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
  }

  @Override
  public List<StateRow> read(String table) {
    Map<String, StateRow> rows = tables.get(table);
    return rows == null ? List.of() : List.copyOf(new ArrayList<>(rows.values()));
  }

  @Override
  public void write(String table, List<StateRow> rows) {
    Map<String, StateRow> stored = tables.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
    for (StateRow row : rows) {
      stored.merge(
          row.key(),
          row,
          (current, incoming) -> StateRows.replaces(incoming, current) ? incoming : current);
    }
  }

  @Override
  public List<StateRow> writeUnversioned(String table, List<StateRow> rows) {
    Map<String, StateRow> stored = tables.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
    List<StateRow> result = new ArrayList<>(rows.size());
    for (StateRow row : rows) {
      // compute() makes read-and-replace one step per key against concurrent writers.
      result.add(stored.compute(row.key(), (key, current) -> StateRows.asNewest(row, current)));
    }
    return result;
  }

  @Override
  public boolean exists(String table) {
    return tables.containsKey(table);
  }

  @Override
  public void close() {
    // Nothing to release; the content stays readable so a test can inspect it after a shutdown.
  }
}
