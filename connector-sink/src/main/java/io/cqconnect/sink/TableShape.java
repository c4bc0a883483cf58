package io.cqconnect.sink;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One table as this sink writes it: the Arrow schema sent in {@code migrate_table} and used for
 * every insert (write mode and primary-key mode applied, CLI columns prepended), and where the
 * columns the sink fills from headers sit.
 *
 * <p>Immutable. The schema object is reused for every batch of the table, because the converter
 * caches its per-column writers by schema identity.
 */
final class TableShape {

  private final String table;
  private final Schema schema;
  private final ByteString schemaBytes;
  private final int syncTimeColumn;
  private final int sourceNameColumn;
  private final org.apache.kafka.connect.data.Schema valueSchema;
  private final org.apache.kafka.connect.data.Schema keySchema;

  TableShape(
      String table,
      Schema schema,
      int syncTimeColumn,
      int sourceNameColumn,
      org.apache.kafka.connect.data.Schema valueSchema,
      org.apache.kafka.connect.data.Schema keySchema) {
    this.table = table;
    this.schema = schema;
    this.schemaBytes = ArrowIpc.schemaToBytes(schema);
    this.syncTimeColumn = syncTimeColumn;
    this.sourceNameColumn = sourceNameColumn;
    this.valueSchema = valueSchema;
    this.keySchema = keySchema;
  }

  /** The destination table name ({@code cq:table_name}). */
  String table() {
    return table;
  }

  /** The Arrow schema of every insert, also sent in {@code migrate_table}. */
  Schema schema() {
    return schema;
  }

  /** {@link #schema()} as an IPC schema blob. */
  ByteString schemaBytes() {
    return schemaBytes;
  }

  /** Index of the {@code _cq_sync_time} column the sink adds, or -1 when the rows carry it. */
  int syncTimeColumn() {
    return syncTimeColumn;
  }

  /** Index of the {@code _cq_source_name} column the sink adds, or -1 when the rows carry it. */
  int sourceNameColumn() {
    return sourceNameColumn;
  }

  /** True if both shapes send the same schema, so one {@code migrate_table} serves both. */
  boolean sameSchema(TableShape other) {
    return other != null && (other == this || other.schema.equals(schema));
  }

  /** Whether this shape was built for exactly these Connect schema objects (a cache check). */
  boolean builtFrom(
      org.apache.kafka.connect.data.Schema value, org.apache.kafka.connect.data.Schema key) {
    return valueSchema == value && keySchema == key;
  }

  @Override
  public String toString() {
    return "TableShape{" + table + ", " + schema.getFields().size() + " columns}";
  }
}
