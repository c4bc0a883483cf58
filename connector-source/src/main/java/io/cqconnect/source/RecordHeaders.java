package io.cqconnect.source;

import io.cqconnect.plugin.SyncHeaders;
import java.util.Base64;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;

/**
 * Builds the headers of the source's records as {@link SyncHeaders} defines them: data records
 * (rows, or Arrow batches), end-of-sync markers and delete-record control records.
 */
final class RecordHeaders {

  private RecordHeaders() {}

  static Headers data(String table, String source, String syncTime) {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(SyncHeaders.TABLE, table);
    headers.addString(SyncHeaders.SOURCE, source);
    headers.addString(SyncHeaders.SYNC_TIME, syncTime);
    return headers;
  }

  /** The headers of a record carrying a whole plugin insert as Arrow IPC ({@code rows} rows). */
  static Headers arrowBatch(String table, String source, String syncTime, int rows) {
    Headers headers = data(table, source, syncTime);
    headers.addString(SyncHeaders.FORMAT, SyncHeaders.ARROW_IPC);
    headers.addInt(SyncHeaders.ROWS, rows);
    return headers;
  }

  /**
   * The marker of a table whose sync ended cleanly.
   *
   * @param deleteStale whether the CLI's delete-stale applies to the table
   * @param schema the table's Arrow IPC schema as the plugin migrated it
   */
  static Headers marker(
      String table,
      String source,
      String syncTime,
      boolean incremental,
      boolean deleteStale,
      byte[] schema) {
    Headers headers = data(table, source, syncTime);
    headers.addString(SyncHeaders.CONTROL, SyncHeaders.SYNC_END);
    headers.addBoolean(SyncHeaders.INCREMENTAL, incremental);
    headers.addBoolean(SyncHeaders.DELETE_STALE, deleteStale);
    headers.addString(SyncHeaders.SCHEMA, Base64.getEncoder().encodeToString(schema));
    return headers;
  }

  /** A delete the sink forwards unchanged: {@code message} is the protocol's delete_record. */
  static Headers deleteRecord(String table, String source, String syncTime, byte[] message) {
    Headers headers = data(table, source, syncTime);
    headers.addString(SyncHeaders.CONTROL, SyncHeaders.DELETE_RECORD);
    headers.addString(SyncHeaders.DELETE, Base64.getEncoder().encodeToString(message));
    return headers;
  }
}
