package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a task's committed cursors on start: every key named by a key index or by the mirrored
 * state table, each with the highest version found among its Connect offset and its table row (the
 * rule of CloudQuery's own state client), so a table advanced by the CLI is picked up and a lagging
 * table never rolls Connect back.
 */
final class StateLoader {

  private static final Logger log = LoggerFactory.getLogger(StateLoader.class);

  private final String source;
  private final String stateTable;
  private final OffsetStorageReader offsets;

  StateLoader(String source, String stateTable, OffsetStorageReader offsets) {
    this.source = source;
    this.stateTable = stateTable;
    this.offsets = offsets;
  }

  /**
   * The cursors to start from; those the mirrored table lacks or holds at a lower version
   * (committed before the last mirror write succeeded), which the caller mirrors again; and those
   * adopted from the table because it holds them ahead of Connect's offsets.
   */
  record Loaded(List<StateRow> rows, List<StateRow> tableBehind, List<Adoption> adopted) {}

  /** A key whose mirrored row won over Connect's offset (null when Connect has none). */
  record Adoption(StateRow table, StateRow offset) {

    String describe() {
      return "'"
          + table.key()
          + "': table version "
          + table.version()
          + " (value "
          + shortValue(table)
          + "), Connect "
          + (offset == null
              ? "none"
              : "version " + offset.version() + " (value " + shortValue(offset) + ")");
    }

    private static String shortValue(StateRow row) {
      String v = row.value() == null ? "null" : row.value();
      return "'" + (v.length() > 80 ? v.substring(0, 80) + "..." : v) + "'";
    }
  }

  Loaded load(MirrorWriter mirror) {
    Set<String> keys = new TreeSet<>();
    for (boolean legacy : new boolean[] {false, true}) {
      for (Map<String, Object> index :
          offsets.offsets(KeyIndex.allPartitions(source, stateTable, legacy)).values()) {
        keys.addAll(KeyIndex.keys(index));
      }
    }
    List<StateRow> fromTable = mirror.readAll();
    fromTable.forEach(row -> keys.add(row.key()));

    List<StateRow> fromOffsets = new ArrayList<>();
    Collection<Map<String, Object>> partitions = new ArrayList<>();
    for (String key : keys) {
      partitions.add(CursorOffset.partition(source, stateTable, key));
    }
    for (Map.Entry<Map<String, Object>, Map<String, Object>> e :
        offsets.offsets(partitions).entrySet()) {
      if (e.getValue() != null) {
        fromOffsets.add(CursorOffset.fromMaps(e.getKey(), e.getValue()).toRow());
      }
    }
    CursorState merged = new CursorState();
    merged.merge(fromTable);
    merged.merge(fromOffsets);
    List<StateRow> rows = merged.snapshot();
    Map<String, StateRow> inTable = new HashMap<>();
    fromTable.forEach(row -> inTable.put(row.key(), row));
    Map<String, StateRow> inOffsets = new HashMap<>();
    fromOffsets.forEach(row -> inOffsets.put(row.key(), row));
    List<Adoption> adopted = new ArrayList<>();
    for (StateRow row : rows) {
      StateRow offset = inOffsets.get(row.key());
      if (inTable.containsKey(row.key()) && (offset == null || row.compareVersionTo(offset) > 0)) {
        adopted.add(new Adoption(inTable.get(row.key()), offset));
      }
    }
    for (Adoption a : adopted) {
      log.warn(
          "Source '{}' starts cursor key {} from the mirrored state table '{}', which is ahead of"
              + " Connect's offsets. Right after the CloudQuery CLI synced this source; otherwise"
              + " check that state.mirror.* names the right database and that no other source"
              + " shares state table '{}' (set state.mirror.adopt.newer=false to refuse).",
          source,
          a.describe(),
          stateTable,
          stateTable);
    }
    List<StateRow> behind = new ArrayList<>();
    if (mirror.enabled()) {
      for (StateRow row : rows) {
        StateRow held = inTable.get(row.key());
        if (held == null || held.compareVersionTo(row) < 0) {
          behind.add(row);
        }
      }
    }
    log.info(
        "Loaded {} cursor keys of source '{}' (state table '{}'): {} from Connect offsets, {} from"
            + " the mirrored table",
        rows.size(),
        source,
        stateTable,
        fromOffsets.size(),
        fromTable.size());
    return new Loaded(rows, behind, adopted);
  }
}
