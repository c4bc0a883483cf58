package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The rows of one incremental table as the CloudQuery CLI and Kafka Connect took turns syncing it,
 * checked by the plugin's sequence numbers ({@code id} 1, 2, 3, ... and {@code sync_start}, the
 * cursor a sync started from).
 *
 * <p>The hand-off contract checked by {@link #assertContract()}: every turn is one sync that starts
 * at the cursor the last <em>finished</em> turn ended at, whichever system ran it (the first turn
 * at the table's initial cursor); across the CLI's destination and Kafka together no id is missing;
 * an id arrives twice only when it was first delivered by an interrupted sync.
 */
final class CliLedger {

  /** Who ran a turn. */
  enum Side {
    CLI,
    CONNECT
  }

  /** One delivered row: its sequence number and the cursor its sync started from. */
  record Entry(long id, long syncStart) {}

  /**
   * One turn: a single sync by one side, its rows (ids firstId..lastId from syncStart), whether it
   * was interrupted, and the state table's row for the key after it.
   */
  record Turn(
      int number,
      Side side,
      boolean interrupted,
      long syncStart,
      long firstId,
      long lastId,
      int rows,
      CliStateDb.StoredRow stateAfter) {

    @Override
    public String toString() {
      return String.format(
          "turn %d %s%s: sync_start %d, ids %d..%d (%d rows); state table after: %s",
          number,
          side,
          interrupted ? " (interrupted)" : "",
          syncStart,
          firstId,
          lastId,
          rows,
          stateAfter == null
              ? "no row"
              : "value " + stateAfter.value() + " version " + stateAfter.version());
    }
  }

  private final String table;
  private final long initialCursor;
  private final List<Turn> turns = new ArrayList<>();
  private final List<List<Long>> ids = new ArrayList<>();

  /**
   * A ledger for {@code table} whose state held {@code initialCursor} (0: none) before the first
   * turn.
   */
  CliLedger(String table, long initialCursor) {
    this.table = table;
    this.initialCursor = initialCursor;
  }

  /**
   * Records a turn's rows after checking they are one sync: a single sync_start and consecutive ids
   * from the first id that cursor resumes at.
   */
  Turn add(Side side, boolean interrupted, List<Entry> entries, CliStateDb.StoredRow stateAfter) {
    int number = turns.size() + 1;
    assertThat(entries).as("%s: rows delivered in turn %d (%s)", table, number, side).isNotEmpty();
    List<Entry> sorted = entries.stream().sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    long syncStart = sorted.get(0).syncStart();
    assertThat(sorted.stream().map(Entry::syncStart).distinct().toList())
        .as("%s: turn %d (%s) is one sync from one cursor", table, number, side)
        .containsExactly(syncStart);
    long first = sorted.get(0).id();
    assertThat(first)
        .as("%s: turn %d (%s) starts right after its cursor %d", table, number, side, syncStart)
        .isEqualTo(syncStart + 1);
    List<Long> turnIds = sorted.stream().map(Entry::id).toList();
    for (int i = 0; i < turnIds.size(); i++) {
      assertThat(turnIds.get(i))
          .as("%s: turn %d (%s) row %d: consecutive ids, each once", table, number, side, i)
          .isEqualTo(first + i);
    }
    Turn turn =
        new Turn(
            number,
            side,
            interrupted,
            syncStart,
            first,
            turnIds.get(turnIds.size() - 1),
            turnIds.size(),
            stateAfter);
    turns.add(turn);
    ids.add(turnIds);
    return turn;
  }

  List<Turn> turns() {
    return List.copyOf(turns);
  }

  /** The cursor the next turn must start from: where the last finished turn ended. */
  long handOffCursor() {
    long cursor = initialCursor;
    for (Turn t : turns) {
      if (!t.interrupted()) {
        cursor = t.lastId();
      }
    }
    return cursor;
  }

  /** Asserts the hand-off contract (see the class comment); returns a one-line summary. */
  String assertContract() {
    long cursor = initialCursor;
    for (Turn t : turns) {
      assertThat(t.syncStart())
          .as(
              "%s: %s started from cursor %d, but the last finished turn before it ended at %d",
              table, t, t.syncStart(), cursor)
          .isEqualTo(cursor);
      if (!t.interrupted()) {
        cursor = t.lastId();
      }
    }
    Map<Long, List<Integer>> seen = new TreeMap<>();
    for (int i = 0; i < ids.size(); i++) {
      for (long id : ids.get(i)) {
        seen.computeIfAbsent(id, k -> new ArrayList<>()).add(i + 1);
      }
    }
    long max = ((TreeMap<Long, List<Integer>>) seen).lastKey();
    List<Long> missing = new ArrayList<>();
    for (long id = initialCursor + 1; id <= max; id++) {
      if (!seen.containsKey(id)) {
        missing.add(id);
      }
    }
    assertThat(missing)
        .as(
            "%s: ids missing across the CLI's destination and Kafka (%d..%d)",
            table, initialCursor + 1, max)
        .isEmpty();
    List<Long> duplicates = new ArrayList<>();
    for (Map.Entry<Long, List<Integer>> e : seen.entrySet()) {
      List<Integer> in = e.getValue();
      if (in.size() == 1) {
        continue;
      }
      duplicates.add(e.getKey());
      assertThat(in)
          .as(
              "%s: id %d arrived in turns %s; a second copy may only follow an interrupted sync",
              table, e.getKey(), in)
          .hasSize(2);
      assertThat(turns.get(in.get(0) - 1).interrupted())
          .as("%s: id %d arrived in turns %s, the first of which finished", table, e.getKey(), in)
          .isTrue();
    }
    return String.format(
        "%s: ids %d..%d, %d turns [%s], duplicates %s, missing none",
        table,
        initialCursor + 1,
        max,
        turns.size(),
        turns.stream()
            .map(
                t ->
                    t.side()
                        + (t.interrupted() ? "!" : "")
                        + " "
                        + t.firstId()
                        + ".."
                        + t.lastId()
                        + "@"
                        + t.syncStart())
            .collect(Collectors.joining(", ")),
        duplicates.isEmpty() ? "none" : ranges(duplicates));
  }

  private static String ranges(List<Long> ids) {
    return ids.size() + " (" + ids.get(0) + ".." + ids.get(ids.size() - 1) + ")";
  }
}
