package io.cqconnect.sink;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What one consumed record means to the sink: a row, a tombstone, an end-of-sync marker, or
 * nothing, with the destination table and the sync it belongs to.
 *
 * <p>The source connector writes the headers {@code cq.table}, {@code cq.source} and {@code
 * cq.sync.time} (UTC text with microseconds) on every record, and after each clean sync one marker
 * per table: null key and value plus {@code cq.control=sync-end} and {@code cq.incremental}. A
 * marker is not a tombstone. Records from other producers may carry none of these headers.
 */
record IncomingRecord(
    Kind kind,
    SinkRecord record,
    String table,
    String source,
    Instant syncTime,
    boolean incremental) {

  static final String TABLE_HEADER = "cq.table";
  static final String SOURCE_HEADER = "cq.source";
  static final String SYNC_TIME_HEADER = "cq.sync.time";
  static final String CONTROL_HEADER = "cq.control";
  static final String INCREMENTAL_HEADER = "cq.incremental";
  static final String SYNC_END = "sync-end";

  /** The meaning of a record. */
  enum Kind {
    /** A row to insert or upsert. */
    ROW,
    /** Null value with a key: delete the row with that key. */
    TOMBSTONE,
    /** The source finished a clean sync of the table. */
    SYNC_END,
    /** Nothing to write: a null key and value, or an unknown control record. */
    IGNORED
  }

  /**
   * Classifies a record.
   *
   * @param renames topic to table overrides ({@code table.rename})
   * @param sourceFallback {@code source.name}, used without a {@code cq.source} header; may be null
   * @throws DataException if a {@code cq.} header holds something unreadable
   */
  static IncomingRecord classify(
      SinkRecord record, Map<String, String> renames, String sourceFallback) {
    String renamed = renames.get(record.topic());
    String headerTable = text(record, TABLE_HEADER);
    String table =
        renamed != null
            ? renamed
            : headerTable != null && !headerTable.isEmpty() ? headerTable : record.topic();
    String source = text(record, SOURCE_HEADER);
    if (source == null || source.isEmpty()) {
      source = sourceFallback;
    }
    Instant syncTime = syncTime(record);
    String control = text(record, CONTROL_HEADER);
    Kind kind;
    if (control != null) {
      kind = SYNC_END.equals(control) ? Kind.SYNC_END : Kind.IGNORED;
    } else if (record.value() != null) {
      kind = Kind.ROW;
    } else {
      kind = record.key() != null ? Kind.TOMBSTONE : Kind.IGNORED;
    }
    boolean incremental = "true".equalsIgnoreCase(text(record, INCREMENTAL_HEADER));
    return new IncomingRecord(kind, record, table, source, syncTime, incremental);
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
    Header header = record.headers().lastWithName(key);
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

  private static Instant syncTime(SinkRecord record) {
    Header header = record.headers().lastWithName(SYNC_TIME_HEADER);
    if (header == null || header.value() == null) {
      return null;
    }
    Object value = header.value();
    if (value instanceof java.util.Date) {
      return ((java.util.Date) value).toInstant();
    }
    String text = value instanceof byte[] ? text(record, SYNC_TIME_HEADER) : value.toString();
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new DataException(
          "Record at "
              + describe(record)
              + " has header "
              + SYNC_TIME_HEADER
              + "='"
              + text
              + "', which is not a UTC timestamp like 2024-01-31T12:00:00.000000Z",
          e);
    }
  }
}
