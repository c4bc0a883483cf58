package io.cqconnect.plugin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The contract between the source connector and the sink connector (and any consumer that wants to
 * follow CloudQuery's sync semantics): the record headers, the control records and the text form of
 * a sync time. One place, so both sides read the same names.
 *
 * <p>Every record the source writes carries {@link #TABLE}, {@link #SOURCE} and {@link #SYNC_TIME}.
 * Control records carry {@link #CONTROL}:
 *
 * <ul>
 *   <li>{@link #SYNC_END} after a table's sync ended cleanly, with {@link #INCREMENTAL}, {@link
 *       #DELETE_STALE} (whether the CloudQuery CLI would delete this table's stale rows) and {@link
 *       #SCHEMA} (the table's Arrow schema as the plugin migrated it, so the sink creates tables
 *       that had no rows);
 *   <li>{@link #DELETE_RECORD} for a plugin's {@code delete_record} that is not a plain key delete,
 *       with {@link #DELETE} holding the protocol message.
 * </ul>
 *
 * <p>A record of a source with {@code record.format=arrow} carries a whole plugin insert: {@link
 * #FORMAT} is {@link #ARROW_IPC}, the value is the Arrow IPC stream (schema, one record batch,
 * end-of-stream) and {@link #ROWS} its row count.
 */
public final class SyncHeaders {

  public static final String TABLE = "cq.table";
  public static final String SOURCE = "cq.source";
  public static final String SYNC_TIME = "cq.sync.time";
  public static final String CONTROL = "cq.control";
  public static final String INCREMENTAL = "cq.incremental";

  /** On a sync-end marker: {@code true} if the CLI's delete-stale applies to the table. */
  public static final String DELETE_STALE = "cq.delete.stale";

  /** On a sync-end marker: the table's Arrow IPC schema, base64. */
  public static final String SCHEMA = "cq.schema";

  /** On a delete-record control record: the {@code delete_record} message, protobuf, base64. */
  public static final String DELETE = "cq.delete";

  /** How the value is encoded, when it is not one row: {@link #ARROW_IPC}. */
  public static final String FORMAT = "cq.format";

  /** {@link #FORMAT} of a value holding a plugin insert as an Arrow IPC stream. */
  public static final String ARROW_IPC = "arrow-ipc";

  /** On an {@link #ARROW_IPC} record: the batch's row count. */
  public static final String ROWS = "cq.rows";

  /** {@link #CONTROL} value of the marker written after a table's sync ended cleanly. */
  public static final String SYNC_END = "sync-end";

  /** {@link #CONTROL} value of a delete the sink forwards to the destination as it came. */
  public static final String DELETE_RECORD = "delete-record";

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private SyncHeaders() {}

  /** A sync's start time as the CLI takes it (UTC, microseconds), in the header's text form. */
  public static String syncTime(Instant instant) {
    return MICROS.format(instant.truncatedTo(ChronoUnit.MICROS));
  }
}
