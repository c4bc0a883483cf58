package io.cqconnect.arrow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Immutable CloudQuery table metadata (name, parent, primary keys, incremental flags) read from the
 * {@code cq:} metadata of an Arrow schema.
 */
public final class CqTable {

  private final Schema schema;
  private final String name;
  private final String parent;
  private final boolean incremental;
  private final List<String> primaryKeys;
  private final List<String> incrementalColumns;
  private final Map<String, Integer> indexByName;

  private CqTable(Schema schema, String name) {
    this.schema = schema;
    this.name = name;
    Map<String, String> meta = metadata(schema.getCustomMetadata());
    String dependsOn = meta.get(CqMetadata.TABLE_DEPENDS_ON);
    this.parent = dependsOn == null || dependsOn.isEmpty() ? null : dependsOn;
    this.incremental = CqMetadata.isTrue(meta.get(CqMetadata.INCREMENTAL));
    List<String> pks = new ArrayList<>();
    List<String> incs = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    List<Field> fields = schema.getFields();
    for (int i = 0; i < fields.size(); i++) {
      Field field = fields.get(i);
      Map<String, String> fieldMeta = metadata(field.getMetadata());
      if (CqMetadata.isTrue(fieldMeta.get(CqMetadata.PRIMARY_KEY))) {
        pks.add(field.getName());
      }
      if (CqMetadata.isTrue(fieldMeta.get(CqMetadata.INCREMENTAL))) {
        incs.add(field.getName());
      }
      index.putIfAbsent(field.getName(), i);
    }
    this.primaryKeys = Collections.unmodifiableList(pks);
    this.incrementalColumns = Collections.unmodifiableList(incs);
    this.indexByName = Collections.unmodifiableMap(index);
  }

  /**
   * Reads the table metadata of a CloudQuery Arrow schema.
   *
   * @throws DataException if the schema has no {@code cq:table_name}
   */
  public static CqTable fromSchema(Schema schema) {
    Objects.requireNonNull(schema, "schema");
    String name = metadata(schema.getCustomMetadata()).get(CqMetadata.TABLE_NAME);
    if (name == null || name.isEmpty()) {
      throw new DataException(
          "Arrow schema has no '"
              + CqMetadata.TABLE_NAME
              + "' metadata, so it is not a CloudQuery table; schema fields: "
              + fieldNames(schema));
    }
    return new CqTable(schema, name);
  }

  /** The table name ({@code cq:table_name}). */
  public String name() {
    return name;
  }

  /** The parent table name ({@code cq:table_depends_on}), or null for a top-level table. */
  public String parent() {
    return parent;
  }

  /** Whether the table is incremental (table-level {@code cq:extension:incremental}). */
  public boolean incremental() {
    return incremental;
  }

  /** Names of the declared primary-key columns, in column order (may be empty). */
  public List<String> primaryKeys() {
    return primaryKeys;
  }

  /** Names of the incremental cursor columns, in column order (may be empty). */
  public List<String> incrementalColumns() {
    return incrementalColumns;
  }

  /** The Arrow fields of the table, in column order. */
  public List<Field> columns() {
    return schema.getFields();
  }

  /** The Arrow schema this table was read from. */
  public Schema schema() {
    return schema;
  }

  /** The value of a schema-level metadata key, or null when absent. */
  public String metadata(String key) {
    return metadata(schema.getCustomMetadata()).get(key);
  }

  /** Whether the named column is part of the declared primary key. */
  public boolean isPrimaryKey(String column) {
    return primaryKeys.contains(column);
  }

  /** Whether the named column is an incremental cursor column. */
  public boolean isIncrementalColumn(String column) {
    return incrementalColumns.contains(column);
  }

  /** Whether the table has a column of that name. */
  public boolean hasColumn(String column) {
    return indexByName.containsKey(column);
  }

  /** Position of the named column, or -1 when the table has no such column. */
  public int columnIndex(String column) {
    Integer index = indexByName.get(column);
    return index == null ? -1 : index;
  }

  /**
   * Whether {@code other} has the same columns as this table but for key and uniqueness flags. A Go
   * SDK insert may flag keys differently from its table's {@code migrate_table} (with {@code
   * deterministic_cq_id} the announced table keys on {@code _cq_id} alone, the records on the
   * natural key); the announced table is the one destinations create.
   */
  public boolean sameColumnsAs(Schema other) {
    List<Field> mine = schema.getFields();
    List<Field> theirs = other.getFields();
    if (mine.size() != theirs.size()) {
      return false;
    }
    for (int i = 0; i < mine.size(); i++) {
      Field a = mine.get(i);
      Field b = theirs.get(i);
      if (!a.getName().equals(b.getName())
          || a.isNullable() != b.isNullable()
          || !a.getType().equals(b.getType())
          || !a.getChildren().equals(b.getChildren())
          || !withoutKeyFlags(a).equals(withoutKeyFlags(b))) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> withoutKeyFlags(Field field) {
    Map<String, String> metadata =
        new java.util.HashMap<>(field.getMetadata() == null ? Map.of() : field.getMetadata());
    metadata.remove(CqMetadata.PRIMARY_KEY);
    metadata.remove(CqMetadata.UNIQUE);
    metadata.remove(CqMetadata.PRIMARY_KEY_COMPONENT);
    return metadata;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CqTable && ((CqTable) o).schema.equals(schema);
  }

  @Override
  public int hashCode() {
    return schema.hashCode();
  }

  @Override
  public String toString() {
    return "CqTable{name="
        + name
        + (parent == null ? "" : ", parent=" + parent)
        + ", primaryKeys="
        + primaryKeys
        + (incremental ? ", incremental" : "")
        + ", columns="
        + fieldNames(schema)
        + "}";
  }

  private static Map<String, String> metadata(Map<String, String> metadata) {
    return metadata == null ? Map.of() : metadata;
  }

  private static List<String> fieldNames(Schema schema) {
    List<String> names = new ArrayList<>();
    for (Field field : schema.getFields()) {
      names.add(field.getName());
    }
    return names;
  }
}
