package io.cqconnect.source;

import io.cqconnect.config.SourceConfig;
import io.cqconnect.state.StateRow;
import io.cqconnect.state.StateRows;
import io.cqconnect.state.StateTableMirror;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a user's edit of the connector's offsets (KIP-875 {@code PATCH}/{@code DELETE} of {@code
 * /connectors/NAME/offsets}) and carries it into the mirrored state table, so the edit wins on the
 * next start (which takes the highest version per key from offsets and table).
 *
 * <p>A reset ({@code null} offset) is written to the table as an empty value, which the plugin's
 * state client reads as "no cursor": the next sync starts from scratch. An edited cursor is written
 * with a version above the table's, so a table ahead of the edit does not override it.
 */
final class OffsetEdits {

  private static final Logger log = LoggerFactory.getLogger(OffsetEdits.class);

  private OffsetEdits() {}

  static boolean apply(SourceConfig config, Map<Map<String, ?>, Map<String, ?>> offsets) {
    String source = config.sourceName();
    String table = config.stateTableName().orElse("");
    Map<String, String> edits = new HashMap<>();
    for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
      Map<String, ?> partition = e.getKey();
      if (KeyIndex.isIndexPartition(partition)) {
        if (e.getValue() != null) {
          KeyIndex.keys(e.getValue());
        }
        continue;
      }
      if (ScheduleOffset.isSchedulePartition(partition)) {
        // A reset makes the task sync at once on start; an edit moves the last sync's start.
        if (e.getValue() != null) {
          ScheduleOffset.startedOf(e.getValue());
        }
        continue;
      }
      if (!CursorOffset.isCursorPartition(partition)) {
        throw new ConnectException(
            "Offset partition "
                + partition
                + " is not one of this connector's: cursor partitions look like"
                + " {\"v\":1,\"source\":...,\"state_table\":...,\"key\":...}, key indexes"
                + " {...,\"index\":<task>} and sync starts {\"v\":1,\"source\":...,"
                + "\"schedule\":<task>}");
      }
      String key = String.valueOf(partition.get(CursorOffset.KEY_FIELD));
      if (e.getValue() == null) {
        edits.put(key, "");
        continue;
      }
      CursorOffset cursor = CursorOffset.fromMaps(partition, e.getValue());
      if (!cursor.source().equals(source) || !cursor.stateTable().equals(table)) {
        throw new ConnectException(
            "Cursor of key '"
                + key
                + "' names source '"
                + cursor.source()
                + "' and state table '"
                + cursor.stateTable()
                + "', but this connector is source '"
                + source
                + "' with state.table.name '"
                + table
                + "'");
      }
      edits.put(key, cursor.value());
    }
    Supplier<StateTableMirror> opener = StateMirrors.opener(config);
    if (opener != null && !edits.isEmpty()) {
      writeToTable(opener, edits);
    }
    return true;
  }

  private static void writeToTable(Supplier<StateTableMirror> opener, Map<String, String> edits) {
    try (StateTableMirror mirror = opener.get()) {
      mirror.migrate();
      // An edit carries no version of the table's sequence: like an unversioned write, it becomes
      // the newest version of its key there.
      Map<String, StateRow> current = StateRows.byKey(mirror.read());
      List<StateRow> rows = new ArrayList<>();
      edits.forEach(
          (key, value) ->
              rows.add(StateRows.asNewest(new StateRow(key, value, 0), current.get(key))));
      mirror.write(rows);
      log.info("Carried {} edited or reset cursors into the mirrored state table", rows.size());
    } catch (RuntimeException e) {
      throw new ConnectException(
          "The offsets are valid, but the mirrored state table could not be updated, so its"
              + " cursors would win over the edit on the next start: "
              + e.getMessage(),
          e);
    }
  }
}
