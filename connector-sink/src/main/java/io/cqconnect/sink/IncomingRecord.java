package io.cqconnect.sink;

import io.cqconnect.plugin.SyncHeaders;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What one consumed record means to the sink: a row, an Arrow batch of rows, a tombstone, an
 * end-of-sync marker, or nothing, with the destination table and the sync it belongs to.
 *
 * <p>The source connector writes the headers of {@link SyncHeaders} on every record, and control
 * records (null key and value plus {@code cq.control}): after each clean sync one marker per table,
 * and a delete-record for a plugin delete that is not a key delete. A control record is not a
 * tombstone. Records from other producers may carry none of these headers.
 *
 * @param deleteStale on a marker: whether the CLI's delete-stale applies to the table (markers of
 *     older sources without the header: when the table is not incremental)
 * @param payload on a marker: the table's Arrow IPC schema (or null); on a delete-record: the
 *     protocol message
 */
record IncomingRecord(
    Kind kind,
    SinkRecord record,
    String table,
    String source,
    Instant syncTime,
    boolean incremental,
    boolean deleteStale,
    byte[] payload) {

  /** The meaning of a record. */
  enum Kind {
    /** A row to insert or upsert. */
    ROW,
    /** A whole plugin insert as an Arrow IPC stream ({@code cq.format=arrow-ipc}). */
    ARROW_BATCH,
    /** Null value with a key: delete the row with that key. */
    TOMBSTONE,
    /** The source finished a clean sync of the table. */
    SYNC_END,
    /** A plugin's delete_record to forward as it came. */
    DELETE_RECORD,
    /** Nothing to write: a null key and value, or an unknown control record. */
    IGNORED
  }

  /**
   * Classifies a record.
   *
   * @param renames topic to table overrides ({@code table.rename})
   * @param sourceFallback {@code source.name}, used without a {@code cq.source} header; may be null
   * @param syncTimes the task's parser of {@code cq.sync.time} headers
   * @throws DataException if a {@code cq.} header holds something unreadable
   */
  static IncomingRecord classify(
      SinkRecord record, Map<String, String> renames, String sourceFallback, SyncTimes syncTimes) {
    String renamed = renames.get(record.topic());
    RowHeaders h = RowHeaders.of(record);
    String headerTable = text(h.table);
    String table =
        renamed != null
            ? renamed
            : headerTable != null && !headerTable.isEmpty() ? headerTable : record.topic();
    String source = text(h.source);
    if (source == null || source.isEmpty()) {
      source = sourceFallback;
    }
    Instant syncTime = syncTime(record, h.syncTime, syncTimes);
    String control = text(h.control);
    Kind kind;
    byte[] payload = null;
    if (control == null) {
      kind =
          record.value() != null
              ? SyncHeaders.ARROW_IPC.equals(text(h.format)) ? Kind.ARROW_BATCH : Kind.ROW
              : record.key() != null ? Kind.TOMBSTONE : Kind.IGNORED;
    } else if (SyncHeaders.SYNC_END.equals(control)) {
      kind = Kind.SYNC_END;
      payload = base64(record, SyncHeaders.SCHEMA, false);
    } else if (SyncHeaders.DELETE_RECORD.equals(control)) {
      kind = Kind.DELETE_RECORD;
      payload = base64(record, SyncHeaders.DELETE, true);
    } else {
      kind = Kind.IGNORED;
    }
    boolean incremental = "true".equalsIgnoreCase(text(h.incremental));
    String deleteStaleText = text(h.deleteStale);
    boolean deleteStale =
        deleteStaleText == null ? !incremental : "true".equalsIgnoreCase(deleteStaleText);
    return new IncomingRecord(
        kind, record, table, source, syncTime, incremental, deleteStale, payload);
  }

  private static byte[] base64(SinkRecord record, String header, boolean required) {
    String text = text(record, header);
    if (text == null || text.isEmpty()) {
      if (required) {
        throw new DataException(
            "Control record at " + describe(record) + " has no " + header + " header");
      }
      return null;
    }
    try {
      return Base64.getDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw new DataException(
          "Control record at "
              + describe(record)
              + " has a "
              + header
              + " header that is not"
              + " base64: "
              + e.getMessage(),
          e);
    }
  }

  /** Where the record came from, for error messages: topic, partition and offset. */
  static String describe(SinkRecord record) {
    return "topic '"
        + record.topic()
        + "' partition "
        + record.kafkaPartition()
        + " offset "
        + record.kafkaOffset();
  }

  private static String text(SinkRecord record, String key) {
    return text(record.headers().lastWithName(key));
  }

  private static String text(Header header) {
    if (header == null || header.value() == null) {
      return null;
    }
    Object value = header.value();
    if (value instanceof byte[]) {
      return new String((byte[]) value, java.nio.charset.StandardCharsets.UTF_8);
    }
    // The worker's header converter may have parsed the text (e.g. "true" into a Boolean).
    return String.valueOf(value);
  }

  private static Instant syncTime(SinkRecord record, Header header, SyncTimes syncTimes) {
    if (header == null || header.value() == null) {
      return null;
    }
    Object value = header.value();
    if (value instanceof java.util.Date) {
      return ((java.util.Date) value).toInstant();
    }
    String text = value instanceof byte[] ? text(header) : value.toString();
    try {
      return syncTimes.parse(text);
    } catch (DateTimeParseException e) {
      throw new DataException(
          "Record at "
              + describe(record)
              + " has header "
              + SyncHeaders.SYNC_TIME
              + "='"
              + text
              + "', which is not a UTC timestamp like 2024-01-31T12:00:00.000000Z",
          e);
    }
  }

  /**
   * Parses {@code cq.sync.time} header texts, remembering the last one: every row of a sync carries
   * the same text, so a run of rows parses it once. One per task (not thread-safe).
   */
  static final class SyncTimes {
    private String lastText;
    private Instant last;

    /**
     * @throws DateTimeParseException if the text is not an ISO-8601 instant
     */
    Instant parse(String text) {
      if (text.equals(lastText)) {
        return last;
      }
      Instant parsed = Instant.parse(text.trim());
      lastText = text;
      last = parsed;
      return parsed;
    }
  }

  /**
   * The last header of each name every record may carry, found in one pass over the record's
   * headers (a name lookup per header walked them once per name).
   */
  private static final class RowHeaders {
    Header table;
    Header source;
    Header syncTime;
    Header control;
    Header incremental;
    Header deleteStale;
    Header format;

    static RowHeaders of(SinkRecord record) {
      RowHeaders h = new RowHeaders();
      for (Header header : record.headers()) {
        switch (header.key()) {
          case SyncHeaders.TABLE -> h.table = header;
          case SyncHeaders.SOURCE -> h.source = header;
          case SyncHeaders.SYNC_TIME -> h.syncTime = header;
          case SyncHeaders.CONTROL -> h.control = header;
          case SyncHeaders.INCREMENTAL -> h.incremental = header;
          case SyncHeaders.DELETE_STALE -> h.deleteStale = header;
          case SyncHeaders.FORMAT -> h.format = header;
          default -> {}
        }
      }
      return h;
    }
  }
}
