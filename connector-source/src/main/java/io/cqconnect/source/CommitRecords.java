package io.cqconnect.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqconnect.plugin.SyncHeaders;
import io.cqconnect.state.StateRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Builds the records that commit a finished sync: one state record per changed cursor key (its
 * Connect offset is the cursor), the task's key index when it grew, the sync's start when syncs
 * repeat or full refreshes are planned ({@link ScheduleOffset}), and one end-of-sync marker per
 * synced table (read by the sink to delete stale rows). Used by the {@link SyncCommitter} only.
 */
final class CommitRecords {

  static final Schema CURSOR_SCHEMA =
      SchemaBuilder.struct()
          .name("io.cqconnect.source.Cursor")
          .field("source", Schema.STRING_SCHEMA)
          .field("state_table", Schema.STRING_SCHEMA)
          .field("key", Schema.STRING_SCHEMA)
          .field("value", Schema.OPTIONAL_STRING_SCHEMA)
          .field("version", Schema.INT64_SCHEMA)
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final String stateTable;
  private final String stateTopic;
  private final int task;
  private final boolean markers;
  private final Set<String> indexed = new TreeSet<>();
  private boolean indexWritten;
  private String scheduleScope;
  private boolean bytesValues;

  CommitRecords(
      String source,
      String stateTable,
      String stateTopic,
      int task,
      boolean markers,
      Set<String> known) {
    this.source = source;
    this.stateTable = stateTable;
    this.stateTopic = stateTopic;
    this.task = task;
    this.markers = markers;
    this.indexed.addAll(known);
  }

  /**
   * Also records each sync's start with this scope ({@link ScheduleOffset}), so a restarted task
   * honours the schedule and the full refresh interval; for repeating syncs or planned full
   * refreshes only.
   */
  CommitRecords recordingSchedule(String scope) {
    this.scheduleScope = scope;
    return this;
  }

  /**
   * Writes the state topic's values as bytes, for a connector whose value converter takes bytes
   * only ({@code record.format=arrow} with {@code ByteArrayConverter}): a cursor as the JSON object
   * JsonConverter writes without schemas, the key index and the schedule as UTF-8 text.
   */
  CommitRecords withBytesValues() {
    this.bytesValues = true;
    return this;
  }

  /**
   * A record on the state topic that only exists to close an exactly-once transaction: the aborted
   * one of a failed sync ({@code aborted}), or the committed one of a sync that wrote no cursor and
   * no marker ({@code synced}). Its null value is a tombstone for its own key only.
   */
  SyncRecord transactionMarker(long generation, String what) {
    return new SyncRecord(
        generation,
        SyncRecord.Kind.MARKER,
        null,
        null,
        stateTopic,
        Schema.STRING_SCHEMA,
        source + "/" + stateTable + "#" + what + "-" + task,
        null,
        null,
        null,
        null);
  }

  /**
   * The records committing one ended sync, in order: its cursors, then the task's key index (when
   * it grew, or was not written since the task started), its start (when recording the schedule),
   * then the markers; empty when the sync wrote no cursor, synced no announced table (or markers
   * are off) and the schedule is not recorded.
   */
  List<SyncRecord> forSync(SyncEvent.Ended ended, RecordBuilder tables) {
    long generation = ended.generation();
    List<StateRow> pending = ended.pending();
    List<SyncRecord> records = new ArrayList<>();
    for (StateRow row : pending) {
      CursorOffset cursor =
          new CursorOffset(source, stateTable, row.key(), row.value(), row.version());
      Struct value =
          new Struct(CURSOR_SCHEMA)
              .put("source", source)
              .put("state_table", stateTable)
              .put("key", row.key())
              .put("value", row.value())
              .put("version", row.version());
      records.add(
          new SyncRecord(
              generation,
              SyncRecord.Kind.STATE,
              cursor.partition(),
              cursor.offset(),
              stateTopic,
              Schema.STRING_SCHEMA,
              source + "/" + stateTable + "/" + row.key(),
              bytesValues ? Schema.OPTIONAL_BYTES_SCHEMA : CURSOR_SCHEMA,
              bytesValues ? json(value) : value,
              null,
              null));
    }
    boolean grew = false;
    for (StateRow row : pending) {
      grew |= indexed.add(row.key());
    }
    if (!pending.isEmpty() && (grew || !indexWritten)) {
      indexWritten = true;
      records.add(
          new SyncRecord(
              generation,
              SyncRecord.Kind.STATE,
              KeyIndex.partition(source, stateTable, task),
              KeyIndex.offset(indexed),
              stateTopic,
              Schema.STRING_SCHEMA,
              source + "/" + stateTable + "#index-" + task,
              textSchema(),
              text(String.join(",", indexed)),
              null,
              null));
    }
    if (scheduleScope != null) {
      records.add(
          new SyncRecord(
              generation,
              SyncRecord.Kind.STATE,
              ScheduleOffset.partition(source, task),
              ScheduleOffset.offset(ended.syncTime(), scheduleScope, ended.lastFullRefresh()),
              stateTopic,
              Schema.STRING_SCHEMA,
              source + "#schedule-" + task,
              textSchema(),
              text(ended.syncTime().toString()),
              null,
              null));
    }
    if (markers) {
      String syncTime = SyncHeaders.syncTime(ended.syncTime());
      for (String table : ended.tables()) {
        if (!tables.announced(table)) {
          continue; // rows of a table the plugin never migrated: no delete-stale, as the CLI
        }
        records.add(
            new SyncRecord(
                generation,
                SyncRecord.Kind.MARKER,
                null,
                null,
                tables.topicFor(table),
                Schema.STRING_SCHEMA,
                ControlKeys.syncEnd(table, tables.source()),
                null,
                null,
                null,
                RecordHeaders.marker(
                    table,
                    tables.source(),
                    syncTime,
                    tables.isIncremental(table),
                    deleteStale(tables, table, ended.fullRefresh()),
                    tables.schemaBytes(table))));
      }
    }
    return records;
  }

  /**
   * The marker's delete-stale: the CLI's rule ({@link RecordBuilder#deleteStale}), except that a
   * full refresh ({@link FullRefresh}) re-read every table from scratch, so its incremental tables
   * are complete and their stale rows may go too.
   */
  private boolean deleteStale(RecordBuilder tables, String table, boolean fullRefresh) {
    return tables.deleteStale(table, !stateTable.isEmpty() && !fullRefresh);
  }

  private Schema textSchema() {
    return bytesValues ? Schema.OPTIONAL_BYTES_SCHEMA : Schema.OPTIONAL_STRING_SCHEMA;
  }

  private Object text(String value) {
    return bytesValues ? value.getBytes(StandardCharsets.UTF_8) : value;
  }

  private static byte[] json(Struct cursor) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Field field : CURSOR_SCHEMA.fields()) {
      fields.put(field.name(), cursor.get(field));
    }
    try {
      return JSON.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A cursor of strings and a number is always JSON", e);
    }
  }
}
