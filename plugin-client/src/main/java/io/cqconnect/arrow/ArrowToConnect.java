package io.cqconnect.arrow;

import io.cqconnect.arrow.ValueReaders.ValueReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts the rows of one CloudQuery table from Arrow to Kafka Connect key and value structs.
 *
 * <p>Built once per table schema: the Connect schemas and one reader per column are computed in the
 * constructor, so converting a row does no type dispatch or name lookup. Every Connect schema
 * carries the parameters ({@link SchemaParameters}) that let {@link ConnectToArrow} rebuild the
 * exact Arrow schema. Not thread-safe: use one instance per thread.
 */
public final class ArrowToConnect {

  private final CqTable table;
  private final Schema valueSchema;
  private final Schema keySchema;
  private final List<String> fieldNames;
  private final List<org.apache.kafka.connect.data.Field> valueFields;
  private final ValueReader[] readers;
  private final int[] keyColumns;
  private final org.apache.kafka.connect.data.Field[] keyFields;
  private final Structs structs;

  private VectorSchemaRoot boundRoot;
  private FieldVector[] boundVectors;

  /** Maps the table with Connect {@code Timestamp} (millisecond) timestamps. */
  public ArrowToConnect(CqTable table) {
    this(table, TimestampMapping.MILLISECONDS);
  }

  /**
   * Maps the table.
   *
   * @param timestamps {@code EXACT}: timestamps, top-level or nested, become {@link ExactTimestamp}
   *     INT64 counts of their Arrow unit (every digit kept, but not a Connect Timestamp); {@code
   *     MILLISECONDS}: Connect {@code Timestamp} values, which drop the digits below the
   *     millisecond
   */
  public ArrowToConnect(CqTable table, TimestampMapping timestamps) {
    this(table, timestamps, Structs.DEFAULT);
  }

  /** Visible for testing: choose how structs are filled. */
  ArrowToConnect(CqTable table, TimestampMapping timestamps, Structs structs) {
    this.table = table;
    this.structs = structs;
    String prefix = "cq." + Columns.avroSafe(table.name());
    String valueName = prefix + ".Value";
    ConnectSchemas schemas = new ConnectSchemas(table.name(), valueName, timestamps);
    ValueReaders readerFactory = new ValueReaders(structs);

    List<Field> columns = table.columns();
    SchemaBuilder value = SchemaBuilder.struct().name(valueName);
    Map<String, String> tableMetadata = table.schema().getCustomMetadata();
    if (tableMetadata != null) {
      for (Map.Entry<String, String> e : tableMetadata.entrySet()) {
        value.parameter(SchemaParameters.parameterFor(e.getKey()), e.getValue());
      }
    }
    String description = table.metadata(CqMetadata.TABLE_DESCRIPTION);
    if (description != null && !description.isEmpty()) {
      value.doc(description);
    }
    List<Schema> columnSchemas = new ArrayList<>(columns.size());
    this.fieldNames = FieldNames.connectNames(columns.stream().map(Field::getName).toList());
    for (int i = 0; i < columns.size(); i++) {
      Field column = columns.get(i);
      Schema columnSchema = schemas.column(column, fieldNames.get(i));
      columnSchemas.add(columnSchema);
      try {
        value.field(fieldNames.get(i), columnSchema);
      } catch (RuntimeException e) {
        throw new DataException(
            "Table '" + table.name() + "' column '" + column.getName() + "': " + e.getMessage(), e);
      }
    }
    this.valueSchema = value.build();
    this.valueFields = valueSchema.fields();
    this.readers = new ValueReader[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      readers[i] = readerFactory.create(columns.get(i), columnSchemas.get(i));
    }

    List<String> keyNames = table.primaryKeys();
    if (keyNames.isEmpty() && table.hasColumn(CqMetadata.CQ_ID)) {
      keyNames = List.of(CqMetadata.CQ_ID);
    }
    if (keyNames.isEmpty()) {
      this.keySchema = null;
      this.keyColumns = new int[0];
      this.keyFields = new org.apache.kafka.connect.data.Field[0];
    } else {
      SchemaBuilder key = SchemaBuilder.struct().name(prefix + ".Key");
      this.keyColumns = new int[keyNames.size()];
      for (int k = 0; k < keyNames.size(); k++) {
        int column = table.columnIndex(keyNames.get(k));
        keyColumns[k] = column;
        key.field(fieldNames.get(column), columnSchemas.get(column));
      }
      this.keySchema = key.build();
      this.keyFields = keySchema.fields().toArray(new org.apache.kafka.connect.data.Field[0]);
    }
  }

  /** The table this converter maps. */
  public CqTable table() {
    return table;
  }

  /**
   * The key schema: a struct of the primary-key columns, or of {@code _cq_id} when the table
   * declares no primary key, or null when it has neither.
   */
  public Schema keySchema() {
    return keySchema;
  }

  /** The value schema: a struct of all columns, carrying the table metadata as parameters. */
  public Schema valueSchema() {
    return valueSchema;
  }

  /**
   * The name of column {@code column}'s field in the key and value structs: the column name unless
   * Avro rejects it ({@link FieldNames}).
   */
  public String fieldName(String column) {
    int index = table.columnIndex(column);
    if (index < 0) {
      throw new DataException("Table '" + table.name() + "' has no column '" + column + "'");
    }
    return fieldNames.get(index);
  }

  /** The key struct of one row, or null when {@link #keySchema()} is null. */
  public Struct key(VectorSchemaRoot root, int row) {
    if (keySchema == null) {
      return null;
    }
    FieldVector[] vectors = bind(root);
    Struct key = new Struct(keySchema);
    int column = -1;
    try {
      for (int k = 0; k < keyColumns.length; k++) {
        column = keyColumns[k];
        structs.set(key, keyFields[k], readers[column].read(vectors[column], row));
      }
    } catch (RuntimeException e) {
      throw failure(column, row, e);
    }
    return key;
  }

  /** The value struct of one row. */
  public Struct value(VectorSchemaRoot root, int row) {
    FieldVector[] vectors = bind(root);
    Struct value = new Struct(valueSchema);
    int column = 0;
    try {
      for (; column < vectors.length; column++) {
        structs.set(value, valueFields.get(column), readers[column].read(vectors[column], row));
      }
    } catch (RuntimeException e) {
      throw failure(column, row, e);
    }
    return value;
  }

  /**
   * One value of the named column, read from any vector of that column's type (for example the
   * one-column record of a {@code delete_record} predicate).
   */
  public Object column(String name, FieldVector vector, int row) {
    int column = table.columnIndex(name);
    if (column < 0) {
      throw new DataException("Table '" + table.name() + "' has no column '" + name + "'");
    }
    try {
      return readers[column].read(vector, row);
    } catch (RuntimeException e) {
      throw failure(column, row, e);
    }
  }

  /** Checks once per root that it has this table's columns, and caches its vectors. */
  private FieldVector[] bind(VectorSchemaRoot root) {
    if (root == boundRoot) {
      return boundVectors;
    }
    List<Field> expected = table.columns();
    List<FieldVector> vectors = root.getFieldVectors();
    if (vectors.size() != expected.size()) {
      throw new DataException(
          "Record for table '"
              + table.name()
              + "' has "
              + vectors.size()
              + " columns but the table schema has "
              + expected.size()
              + "; the plugin changed the table without a new migrate_table message");
    }
    for (int i = 0; i < expected.size(); i++) {
      Field actual = vectors.get(i).getField();
      Field wanted = expected.get(i);
      if (!actual.getName().equals(wanted.getName())
          || !actual.getType().equals(wanted.getType())) {
        throw new DataException(
            "Record for table '"
                + table.name()
                + "' column "
                + i
                + " is '"
                + actual.getName()
                + "' of type "
                + actual.getType()
                + " but the table schema has '"
                + wanted.getName()
                + "' of type "
                + wanted.getType()
                + "; the plugin changed the table without a new migrate_table message");
      }
    }
    boundVectors = vectors.toArray(new FieldVector[0]);
    boundRoot = root;
    return boundVectors;
  }

  private DataException failure(int column, int row, RuntimeException e) {
    if (e instanceof DataException
        && e.getMessage() != null
        && e.getMessage().startsWith("Table")) {
      return (DataException) e;
    }
    String name =
        column >= 0 && column < table.columns().size()
            ? table.columns().get(column).getName()
            : "?";
    return new DataException(
        "Table '"
            + table.name()
            + "' column '"
            + name
            + "' row "
            + row
            + ": cannot convert the Arrow value to Kafka Connect: "
            + e.getMessage(),
        e);
  }
}
