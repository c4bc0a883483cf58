package io.cqconnect.sink;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.arrow.FieldNames;
import io.cqconnect.plugin.proto.v3.Predicate;
import io.cqconnect.plugin.proto.v3.PredicatesGroup;
import io.cqconnect.plugin.proto.v3.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a tombstone into CloudQuery's {@code delete_record}: one AND group with an {@code EQ}
 * predicate per field of the record key, each carrying its value as a one-column, one-row Arrow
 * record (the protocol reads column 0), typed like the table's column so a uuid key compares as a
 * uuid. Not thread-safe.
 */
final class DeletePredicates {

  private static final int MAX_CACHED = 256;

  private final ConnectToArrow converter;
  private final BufferAllocator allocator;
  private final Map<CacheKey, List<KeyColumn>> columns = new HashMap<>();

  DeletePredicates(ConnectToArrow converter, BufferAllocator allocator) {
    this.converter = converter;
    this.allocator = allocator;
  }

  /**
   * The delete of the row a tombstone names.
   *
   * @throws DataException if the key is not a struct with a schema, or a key field is null
   */
  WriteOp.RecordDelete forTombstone(String table, SinkRecord record) {
    Schema keySchema = record.keySchema();
    if (keySchema == null
        || keySchema.type() != Schema.Type.STRUCT
        || !(record.key() instanceof Struct)) {
      throw new DataException(
          "Tombstone at "
              + IncomingRecord.describe(record)
              + " for table '"
              + table
              + "' has a key of "
              + (keySchema == null ? "no schema" : "type " + keySchema.type())
              + "; a delete needs a STRUCT key holding the primary-key columns (use a key"
              + " converter with schemas)");
    }
    Struct key = (Struct) record.key();
    PredicatesGroup.Builder group =
        PredicatesGroup.newBuilder().setGroupingType(PredicatesGroup.GroupingType.AND);
    for (KeyColumn column : columnsOf(table, keySchema)) {
      Object value = key.get(column.name);
      if (value == null) {
        throw new DataException(
            "Tombstone at "
                + IncomingRecord.describe(record)
                + " for table '"
                + table
                + "' has a null key field '"
                + column.name
                + "'; cannot tell which row to delete");
      }
      Struct one = new Struct(column.connect).put(column.name, value);
      try (VectorSchemaRoot root = converter.toArrow(column.arrow, List.of(one), allocator)) {
        group.addPredicates(
            Predicate.newBuilder()
                .setOperator(Predicate.Operator.EQ)
                .setColumn(column.column)
                .setRecord(ArrowIpc.recordToBytes(root)));
      }
    }
    Write.Request request =
        Write.Request.newBuilder()
            .setDeleteRecord(
                Write.MessageDeleteRecord.newBuilder().setTableName(table).addWhereClause(group))
            .build();
    return new WriteOp.RecordDelete(table, request);
  }

  /**
   * A plugin's delete_record as the source forwarded it, aimed at {@code table} (the target table,
   * which a rename may have changed).
   *
   * @throws DataException if the bytes are not a delete_record message
   */
  WriteOp.RecordDelete forwarded(String table, byte[] message, SinkRecord record) {
    Write.MessageDeleteRecord delete;
    try {
      delete = Write.MessageDeleteRecord.parseFrom(message);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new DataException(
          "Delete-record control record at "
              + IncomingRecord.describe(record)
              + " does not hold a delete_record message: "
              + e.getMessage(),
          e);
    }
    Write.Request request =
        Write.Request.newBuilder().setDeleteRecord(delete.toBuilder().setTableName(table)).build();
    return new WriteOp.RecordDelete(table, request);
  }

  private List<KeyColumn> columnsOf(String table, Schema keySchema) {
    CacheKey cacheKey = new CacheKey(table, keySchema);
    List<KeyColumn> cached = columns.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    if (keySchema.fields().isEmpty()) {
      throw new DataException(
          "Tombstone key schema for table '" + table + "' has no fields; cannot build a delete");
    }
    List<KeyColumn> built = new ArrayList<>();
    for (Field field : keySchema.fields()) {
      Schema connect = SchemaBuilder.struct().field(field.name(), field.schema()).build();
      built.add(
          new KeyColumn(
              field.name(),
              FieldNames.arrowName(field),
              connect,
              converter.arrowSchema(table, connect, Set.of())));
    }
    if (columns.size() >= MAX_CACHED) {
      columns.clear();
    }
    columns.put(cacheKey, List.copyOf(built));
    return built;
  }

  private record CacheKey(String table, Schema keySchema) {}

  /**
   * A key column: its Connect field name, its destination column name (they differ for names Avro
   * rejects, see {@link FieldNames}), and its one-column Connect and Arrow schemas.
   */
  private record KeyColumn(
      String name,
      String column,
      Schema connect,
      org.apache.arrow.vector.types.pojo.Schema arrow) {}
}
