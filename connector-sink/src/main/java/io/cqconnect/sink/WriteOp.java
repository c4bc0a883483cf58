package io.cqconnect.sink;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.cqconnect.plugin.proto.v3.Write;
import java.time.Instant;

/** One message (or, for inserts, one message plus its {@code migrate_table}) of a Write stream. */
sealed interface WriteOp {

  /** The destination table the message is about. */
  String table();

  /** Rows the message inserts (0 for deletes). */
  default int rows() {
    return 0;
  }

  /** Encoded size of the payload, for batching by bytes. */
  default long bytes() {
    return 0;
  }

  /** An Arrow record of one table (one batch, one message). */
  record Insert(TableShape shape, ByteString record, int rows) implements WriteOp {
    @Override
    public String table() {
      return shape.table();
    }

    @Override
    public long bytes() {
      return record.size();
    }

    Write.Request request() {
      return Write.Request.newBuilder()
          .setInsert(Write.MessageInsert.newBuilder().setRecord(record))
          .build();
    }
  }

  /**
   * Creates (or migrates) a table that may have no rows to write: sent as the stream's {@code
   * migrate_table} for the shape unless the stream already migrated it.
   */
  record Migrate(TableShape shape) implements WriteOp {
    @Override
    public String table() {
      return shape.table();
    }
  }

  /** A record delete: a tombstone's key delete, or a plugin's delete_record forwarded. */
  record RecordDelete(String table, Write.Request request) implements WriteOp {
    @Override
    public long bytes() {
      return request.getSerializedSize();
    }
  }

  /**
   * CloudQuery's delete-stale: delete the rows of {@code source} in {@code table} whose {@code
   * _cq_sync_time} is earlier than {@code syncTime}. The deprecated {@code table} blob stays empty.
   */
  record StaleDelete(String table, String source, Instant syncTime) implements WriteOp {
    Write.Request request() {
      return Write.Request.newBuilder()
          .setDelete(
              Write.MessageDeleteStale.newBuilder()
                  .setTableName(table)
                  .setSourceName(source)
                  .setSyncTime(
                      Timestamp.newBuilder()
                          .setSeconds(syncTime.getEpochSecond())
                          .setNanos(syncTime.getNano())))
          .build();
    }
  }

  /** The {@code migrate_table} message for a shape. */
  static Write.Request migrate(TableShape shape, boolean force) {
    return Write.Request.newBuilder()
        .setMigrateTable(
            Write.MessageMigrateTable.newBuilder()
                .setTable(shape.schemaBytes())
                .setMigrateForce(force))
        .build();
  }
}
