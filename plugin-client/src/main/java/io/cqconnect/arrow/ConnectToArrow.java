package io.cqconnect.arrow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts Kafka Connect schemas and structs to CloudQuery Arrow schemas and records: the reverse
 * of {@link ArrowToConnect}.
 *
 * <p>Schemas produced by {@link ArrowToConnect} come back as the exact Arrow schema, metadata
 * included; other Connect schemas get CloudQuery's usual Arrow types. The per-schema writers are
 * cached by Arrow schema identity, so reuse the same {@link Schema} object for a table's batches.
 * Not thread-safe: use one instance per thread.
 */
public final class ConnectToArrow {

  private static final int MAX_CACHED_SCHEMAS = 256;

  private final Map<Schema, StructFields> writers = new IdentityHashMap<>();

  /**
   * The Arrow schema of a table whose rows have the Connect struct schema {@code valueSchema}.
   *
   * @param tableName stored as {@code cq:table_name}
   * @param valueSchema a STRUCT schema; its parameters may carry Arrow metadata
   * @param primaryKeys columns flagged {@code cq:extension:primary_key=true}; other columns that
   *     carried the flag get {@code "false"}; null keeps the flags found in the parameters
   * @throws DataException if the schema is not a struct, a type has no Arrow mapping, or a primary
   *     key names a missing column
   */
  public Schema arrowSchema(
      String tableName, org.apache.kafka.connect.data.Schema valueSchema, Set<String> primaryKeys) {
    if (valueSchema == null
        || valueSchema.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT) {
      throw new DataException(
          "Table '"
              + tableName
              + "': records need a STRUCT value schema to become Arrow rows, not "
              + (valueSchema == null
                  ? "no schema (use a converter with schemas)"
                  : valueSchema.type()));
    }
    ArrowFields mapper = new ArrowFields(tableName);
    List<Field> fields = new ArrayList<>(valueSchema.fields().size());
    for (org.apache.kafka.connect.data.Field column : valueSchema.fields()) {
      Field field = mapper.field(FieldNames.arrowName(column), column.schema());
      if (primaryKeys != null) {
        field = withPrimaryKeyFlag(field, primaryKeys.contains(column.name()));
      }
      fields.add(field);
    }
    if (primaryKeys != null) {
      for (String key : primaryKeys) {
        if (valueSchema.field(key) == null) {
          throw new DataException(
              "Table '"
                  + tableName
                  + "': primary key column '"
                  + key
                  + "' is not a field of the record value schema");
        }
      }
    }
    Map<String, String> params =
        valueSchema.parameters() == null ? Map.of() : valueSchema.parameters();
    Map<String, String> metadata = ArrowFields.metadata(params);
    metadata.put(CqMetadata.TABLE_NAME, tableName);
    return new Schema(fields, metadata);
  }

  private static Field withPrimaryKeyFlag(Field field, boolean primaryKey) {
    Map<String, String> metadata = field.getMetadata();
    boolean present = metadata != null && metadata.containsKey(CqMetadata.PRIMARY_KEY);
    if (!primaryKey && !present) {
      return field;
    }
    Map<String, String> updated = metadata == null ? new HashMap<>() : new HashMap<>(metadata);
    updated.put(CqMetadata.PRIMARY_KEY, primaryKey ? CqMetadata.TRUE : CqMetadata.FALSE);
    return new Field(
        field.getName(),
        new FieldType(field.isNullable(), field.getType(), null, updated),
        field.getChildren());
  }

  /**
   * Builds a root holding {@code rows}, allocated from {@code allocator}; the caller closes it. Row
   * fields are matched to columns by name; a column missing from a row is null.
   *
   * @throws DataException naming the table, column and row if a value does not fit its column
   */
  public VectorSchemaRoot toArrow(
      Schema arrowSchema, List<Struct> rows, BufferAllocator allocator) {
    StructFields columns = writers.get(arrowSchema);
    if (columns == null) {
      if (writers.size() >= MAX_CACHED_SCHEMAS) {
        writers.clear();
      }
      columns = new StructFields(arrowSchema.getFields());
      writers.put(arrowSchema, columns);
    }
    VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema, allocator);
    int row = 0;
    int column = -1;
    try {
      List<FieldVector> vectors = root.getFieldVectors();
      for (FieldVector vector : vectors) {
        vector.setInitialCapacity(Math.max(1, rows.size()));
      }
      root.allocateNew();
      FieldVector[] targets = vectors.toArray(new FieldVector[0]);
      for (; row < rows.size(); row++) {
        Struct value = rows.get(row);
        for (column = 0; column < targets.length; column++) {
          columns.writeChild(column, targets[column], row, value);
        }
        column = -1;
      }
      root.setRowCount(rows.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      String table =
          arrowSchema.getCustomMetadata() == null
              ? null
              : arrowSchema.getCustomMetadata().get(CqMetadata.TABLE_NAME);
      throw new DataException(
          "Table '"
              + table
              + "'"
              + (column >= 0 ? " column '" + columns.name(column) + "'" : "")
              + " row "
              + row
              + ": cannot convert the Kafka Connect value to Arrow: "
              + e.getMessage(),
          e);
    }
  }
}
