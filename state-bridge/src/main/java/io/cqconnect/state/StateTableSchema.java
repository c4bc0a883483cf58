package io.cqconnect.state;

import io.cqconnect.arrow.CqMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow side of a CloudQuery state table: its schema exactly as the Go state client sends it
 * ({@code key} utf8 primary key, {@code value} utf8, {@code version} uint64, all nullable, no
 * {@code _cq_*} columns), validation of schemas that claim to be one, and conversion between {@link
 * StateRow}s and Arrow records.
 *
 * <p>Reading is by column name and lenient about widths ({@code large_utf8}, {@code int64}) and
 * extra columns, because destination plugins hand tables back in their own normalised form; the
 * records this class builds are always the strict Go layout, because the Go client reads by
 * position with hard type casts.
 */
public final class StateTableSchema {

  /** Column names, in the order the Go client expects them. */
  public static final String KEY = "key";

  /** The value column. */
  public static final String VALUE = "value";

  /** The version column (uint64, not part of the primary key on purpose). */
  public static final String VERSION = "version";

  private static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
  private static final ArrowType UINT64 = new ArrowType.Int(64, false);
  private static final ArrowType INT64 = new ArrowType.Int(64, true);

  private StateTableSchema() {}

  /** The schema of state table {@code table}, with the metadata the Go SDK writes. */
  public static Schema schema(String table) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(CqMetadata.TABLE_NAME, table);
    metadata.put(CqMetadata.TABLE_DESCRIPTION, "");
    metadata.put(CqMetadata.TABLE_TITLE, "");
    metadata.put(CqMetadata.CONSTRAINT_NAME, "");
    metadata.put(CqMetadata.TABLE_PERMISSIONS_NEEDED, "null");
    metadata.put(CqMetadata.TABLE_SENSITIVE_COLUMNS, "null");
    return new Schema(
        List.of(field(KEY, UTF8, true), field(VALUE, UTF8, false), field(VERSION, UINT64, false)),
        metadata);
  }

  private static Field field(String name, ArrowType type, boolean primaryKey) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(CqMetadata.PRIMARY_KEY, primaryKey ? CqMetadata.TRUE : CqMetadata.FALSE);
    md.put(CqMetadata.UNIQUE, CqMetadata.FALSE);
    md.put(CqMetadata.INCREMENTAL, CqMetadata.FALSE);
    md.put(CqMetadata.PRIMARY_KEY_COMPONENT, CqMetadata.FALSE);
    return new Field(name, new FieldType(true, type, null, md), null);
  }

  /**
   * The {@code cq:table_name} of a schema.
   *
   * @throws IllegalArgumentException if the schema has none
   */
  public static String tableName(Schema schema) {
    String name =
        schema.getCustomMetadata() == null
            ? null
            : schema.getCustomMetadata().get(CqMetadata.TABLE_NAME);
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "the Arrow schema has no '"
              + CqMetadata.TABLE_NAME
              + "' metadata; a state table schema must name its table");
    }
    return name;
  }

  /**
   * Checks that a schema sent to the state backend is a state table: it names its table and has
   * exactly the columns {@code key} and {@code value} (utf8) and optionally {@code version}
   * (uint64), in any order.
   *
   * @return the table name
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String validate(Schema schema) {
    String table = tableName(schema);
    boolean hasKey = false;
    boolean hasValue = false;
    for (Field f : schema.getFields()) {
      switch (f.getName()) {
        case KEY -> {
          requireText(table, f);
          hasKey = true;
        }
        case VALUE -> {
          requireText(table, f);
          hasValue = true;
        }
        case VERSION -> {
          if (!UINT64.equals(f.getType()) && !INT64.equals(f.getType())) {
            throw new IllegalArgumentException(
                "column 'version' of state table '"
                    + table
                    + "' has type "
                    + f.getType()
                    + "; expected uint64");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "state table '"
                    + table
                    + "' has an unexpected column '"
                    + f.getName()
                    + "'; a state table has only key (utf8), value (utf8) and version (uint64)");
      }
    }
    if (!hasKey || !hasValue) {
      throw new IllegalArgumentException(
          "state table '"
              + table
              + "' lacks the column '"
              + (hasKey ? VALUE : KEY)
              + "'; a state table has key (utf8), value (utf8) and version (uint64), got "
              + names(schema));
    }
    return table;
  }

  /**
   * Whether a schema has the {@code version} column; records without it come from state clients
   * that keep no versions (see {@link StateStore#writeUnversioned}).
   */
  public static boolean hasVersion(Schema schema) {
    for (Field f : schema.getFields()) {
      if (VERSION.equals(f.getName())) {
        return true;
      }
    }
    return false;
  }

  private static void requireText(String table, Field f) {
    ArrowType t = f.getType();
    if (!(t instanceof ArrowType.Utf8) && !(t instanceof ArrowType.LargeUtf8)) {
      throw new IllegalArgumentException(
          "column '"
              + f.getName()
              + "' of state table '"
              + table
              + "' has type "
              + t
              + "; expected utf8");
    }
  }

  private static List<String> names(Schema schema) {
    List<String> names = new ArrayList<>();
    for (Field f : schema.getFields()) {
      names.add(f.getName() + ":" + f.getType());
    }
    return names;
  }

  /**
   * The rows of a record, read by column name: other columns (such as {@code _cq_*} ones added by a
   * destination) are ignored, text may be utf8 or large_utf8, version uint64 or int64 (a missing
   * column or a null is version 0). Rows with a null key are skipped.
   *
   * @throws IllegalArgumentException if key or value is missing or of another type
   */
  public static List<StateRow> rows(VectorSchemaRoot root) {
    FieldVector key = root.getVector(KEY);
    FieldVector value = root.getVector(VALUE);
    FieldVector version = root.getVector(VERSION);
    if (!(key instanceof VarCharVector || key instanceof LargeVarCharVector)
        || !(value instanceof VarCharVector || value instanceof LargeVarCharVector)) {
      throw new IllegalArgumentException(
          "record is not a state table: it needs utf8 columns 'key' and 'value', got "
              + names(root.getSchema()));
    }
    if (version != null && !(version instanceof UInt8Vector || version instanceof BigIntVector)) {
      throw new IllegalArgumentException(
          "column 'version' has type " + version.getField().getType() + "; expected uint64");
    }
    int n = root.getRowCount();
    List<StateRow> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (key.isNull(i)) {
        continue;
      }
      Long v = null;
      if (version instanceof UInt8Vector u && !u.isNull(i)) {
        v = u.get(i); // same 64 bits; StateRow treats them as unsigned
      } else if (version instanceof BigIntVector b && !b.isNull(i)) {
        v = b.get(i);
      }
      rows.add(StateRow.of(text(key, i), value.isNull(i) ? null : text(value, i), v));
    }
    return rows;
  }

  private static String text(FieldVector vector, int i) {
    byte[] bytes =
        vector instanceof VarCharVector v ? v.get(i) : ((LargeVarCharVector) vector).get(i);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * A new root (owned by the caller) holding {@code rows} in the Go client's layout for {@code
   * table}.
   */
  public static VectorSchemaRoot toRoot(
      String table, List<StateRow> rows, BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema(table), allocator);
    try {
      VarCharVector key = (VarCharVector) root.getVector(KEY);
      VarCharVector value = (VarCharVector) root.getVector(VALUE);
      UInt8Vector version = (UInt8Vector) root.getVector(VERSION);
      root.allocateNew();
      for (int i = 0; i < rows.size(); i++) {
        StateRow row = rows.get(i);
        key.setSafe(i, row.key().getBytes(StandardCharsets.UTF_8));
        if (row.value() == null) {
          value.setNull(i);
        } else {
          value.setSafe(i, row.value().getBytes(StandardCharsets.UTF_8));
        }
        version.setSafe(i, row.version());
      }
      root.setRowCount(rows.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }
}
