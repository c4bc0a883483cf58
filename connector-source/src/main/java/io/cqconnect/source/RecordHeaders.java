package io.cqconnect.source;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;

/**
 * The headers every record of a sync carries, so a consumer (and our sink) can tell table, source
 * and sync apart: {@code cq.table}, {@code cq.source}, {@code cq.sync.time}; markers add {@code
 * cq.control}.
 */
public final class RecordHeaders {

  public static final String TABLE = "cq.table";
  public static final String SOURCE = "cq.source";
  public static final String SYNC_TIME = "cq.sync.time";
  public static final String CONTROL = "cq.control";
  public static final String INCREMENTAL = "cq.incremental";

  /** Value of {@link #CONTROL} on the marker written after a table's sync ended cleanly. */
  public static final String SYNC_END = "sync-end";

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private RecordHeaders() {}

  /** A sync's start time as the CLI takes it (UTC, microseconds), in the header's text form. */
  public static String syncTime(Instant instant) {
    return MICROS.format(instant.truncatedTo(ChronoUnit.MICROS));
  }

  static Headers data(String table, String source, String syncTime) {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(TABLE, table);
    headers.addString(SOURCE, source);
    headers.addString(SYNC_TIME, syncTime);
    return headers;
  }

  static Headers marker(String table, String source, String syncTime, boolean incremental) {
    Headers headers = data(table, source, syncTime);
    headers.addString(CONTROL, SYNC_END);
    headers.addBoolean(INCREMENTAL, incremental);
    return headers;
  }
}
