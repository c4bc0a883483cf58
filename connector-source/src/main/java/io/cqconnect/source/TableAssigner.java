package io.cqconnect.source;

import io.cqconnect.arrow.CqTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads a plugin's selected tables over tasks: each top-level table goes to one task together
 * with all its (selected) descendants, since the plugin resolves children from their parent's rows.
 * Groups are dealt largest first to the task with the fewest tables.
 */
final class TableAssigner {

  private TableAssigner() {}

  /**
   * @param tables the flattened table list of {@code GetTables}, children included
   * @param maxTasks the most tasks to use
   * @return one list of table names per task (never more lists than top-level tables)
   */
  static List<List<String>> assign(List<CqTable> tables, int maxTasks) {
    Map<String, String> parentOf = new LinkedHashMap<>();
    for (CqTable table : tables) {
      parentOf.put(table.name(), table.parent());
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (CqTable table : tables) {
      groups
          .computeIfAbsent(rootOf(table.name(), parentOf), k -> new ArrayList<>())
          .add(table.name());
    }
    List<List<String>> byGroup = new ArrayList<>(groups.values());
    byGroup.sort(Comparator.comparingInt((List<String> g) -> g.size()).reversed());
    int tasks = Math.max(1, Math.min(maxTasks, byGroup.size()));
    List<List<String>> assignment = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      assignment.add(new ArrayList<>());
    }
    for (List<String> group : byGroup) {
      assignment.stream().min(Comparator.comparingInt(List::size)).orElseThrow().addAll(group);
    }
    assignment.removeIf(List::isEmpty);
    return assignment;
  }

  private static String rootOf(String table, Map<String, String> parentOf) {
    String current = table;
    for (int depth = 0; depth < parentOf.size(); depth++) {
      String parent = parentOf.get(current);
      // A parent the selection left out (skip_dependent_tables=false picks children alone):
      // the child is its own group.
      if (parent == null || parent.isEmpty() || !parentOf.containsKey(parent)) {
        return current;
      }
      current = parent;
    }
    return current;
  }
}
