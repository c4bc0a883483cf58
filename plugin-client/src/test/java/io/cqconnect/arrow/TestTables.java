package io.cqconnect.arrow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Test schemas shaped like the tables of CloudQuery's Go {@code test} source plugin: every column
 * type of the SDK's {@code schema.TestTable} (primitives, extensions, dates, durations, intervals,
 * large types, times, timestamps, decimal, a struct of all of them, a list of each and a string-
 * and int-keyed map of each), with the metadata the Go SDK writes.
 */
final class TestTables {

  private TestTables() {}

  static Map<String, String> columnMetadata(boolean primaryKey, boolean unique) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(CqMetadata.PRIMARY_KEY, Boolean.toString(primaryKey));
    m.put(CqMetadata.UNIQUE, Boolean.toString(unique));
    m.put(CqMetadata.INCREMENTAL, "false");
    m.put(CqMetadata.PRIMARY_KEY_COMPONENT, "false");
    return m;
  }

  private static Map<String, String> withExtension(
      Map<String, String> metadata, String name, String serialized) {
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(CqMetadata.EXTENSION_NAME, name);
    m.put(CqMetadata.EXTENSION_METADATA, serialized);
    return m;
  }

  static Field uuidField(String name, boolean nullable, Map<String, String> metadata) {
    return new Field(
        name,
        new FieldType(
            nullable,
            new ArrowType.FixedSizeBinary(16),
            null,
            withExtension(metadata, CqMetadata.EXT_UUID, CqMetadata.EXT_UUID_METADATA)),
        null);
  }

  private static Field binaryExtension(String name, String ext, String serialized) {
    return new Field(
        name,
        new FieldType(
            true, ArrowType.Binary.INSTANCE, null, withExtension(Map.of(), ext, serialized)),
        null);
  }

  private static Field plain(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), null);
  }

  /** The data columns of Go's {@code schema.TestTable} with default options, without metadata. */
  static List<Field> baseColumns() {
    List<Field> c = new ArrayList<>();
    c.add(plain("int8", new ArrowType.Int(8, true)));
    c.add(plain("int16", new ArrowType.Int(16, true)));
    c.add(plain("int32", new ArrowType.Int(32, true)));
    c.add(plain("int64", new ArrowType.Int(64, true)));
    c.add(plain("uint8", new ArrowType.Int(8, false)));
    c.add(plain("uint16", new ArrowType.Int(16, false)));
    c.add(plain("uint32", new ArrowType.Int(32, false)));
    c.add(plain("uint64", new ArrowType.Int(64, false)));
    c.add(plain("float32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    c.add(plain("float64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
    c.add(plain("binary", ArrowType.Binary.INSTANCE));
    c.add(plain("string", ArrowType.Utf8.INSTANCE));
    c.add(plain("boolean", ArrowType.Bool.INSTANCE));
    c.add(uuidField("uuid", true, Map.of()));
    c.add(binaryExtension("inet", CqMetadata.EXT_INET, CqMetadata.EXT_INET_METADATA));
    c.add(binaryExtension("mac", CqMetadata.EXT_MAC, CqMetadata.EXT_MAC_METADATA));
    c.add(binaryExtension("json", CqMetadata.EXT_JSON, CqMetadata.EXT_JSON_METADATA));
    c.add(plain("date32", new ArrowType.Date(DateUnit.DAY)));
    c.add(plain("date64", new ArrowType.Date(DateUnit.MILLISECOND)));
    c.add(plain("duration_s", new ArrowType.Duration(TimeUnit.SECOND)));
    c.add(plain("duration_ms", new ArrowType.Duration(TimeUnit.MILLISECOND)));
    c.add(plain("duration_us", new ArrowType.Duration(TimeUnit.MICROSECOND)));
    c.add(plain("duration_ns", new ArrowType.Duration(TimeUnit.NANOSECOND)));
    c.add(plain("interval_month", new ArrowType.Interval(IntervalUnit.YEAR_MONTH)));
    c.add(plain("interval_day_time", new ArrowType.Interval(IntervalUnit.DAY_TIME)));
    c.add(plain("interval_month_day_nano", new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO)));
    c.add(plain("large_binary", ArrowType.LargeBinary.INSTANCE));
    c.add(plain("large_string", ArrowType.LargeUtf8.INSTANCE));
    c.add(plain("time32_s", new ArrowType.Time(TimeUnit.SECOND, 32)));
    c.add(plain("time32_ms", new ArrowType.Time(TimeUnit.MILLISECOND, 32)));
    c.add(plain("time64_us", new ArrowType.Time(TimeUnit.MICROSECOND, 64)));
    c.add(plain("time64_ns", new ArrowType.Time(TimeUnit.NANOSECOND, 64)));
    c.add(plain("timestamp_s", new ArrowType.Timestamp(TimeUnit.SECOND, "UTC")));
    c.add(plain("timestamp_ms", new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")));
    c.add(plain("timestamp_us", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")));
    c.add(plain("timestamp_ns", new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC")));
    c.add(plain("decimal128", new ArrowType.Decimal(19, 10, 128)));
    return c;
  }

  /** The full test table: meta columns, id, the base columns, struct, lists and maps. */
  static Schema cloudQueryTestTable(String name) {
    List<Field> base = new ArrayList<>();
    base.add(new Field("id", new FieldType(false, new ArrowType.Int(64, true), null, null), null));
    base.addAll(baseColumns());
    List<Field> columns = new ArrayList<>(base);
    columns.add(new Field("struct", FieldType.nullable(ArrowType.Struct.INSTANCE), base));
    List<Field> withStruct = new ArrayList<>(columns);
    for (Field f : withStruct) {
      if (isJson(f)) {
        continue;
      }
      columns.add(
          new Field(
              f.getName() + "_list",
              FieldType.nullable(ArrowType.List.INSTANCE),
              List.of(new Field("item", relaxed(f).getFieldType(), f.getChildren()))));
    }
    List<Field> beforeMaps = new ArrayList<>(columns);
    for (Field f : beforeMaps) {
      columns.add(map("string_" + f.getName() + "_map", ArrowType.Utf8.INSTANCE, f));
      columns.add(map("int_" + f.getName() + "_map", new ArrowType.Int(64, true), f));
    }
    List<Field> table = new ArrayList<>();
    table.add(uuidField(CqMetadata.CQ_ID, false, columnMetadata(false, true)));
    table.add(uuidField(CqMetadata.CQ_PARENT_ID, true, columnMetadata(false, false)));
    for (Field f : columns) {
      boolean id = f.getName().equals("id");
      Map<String, String> metadata = new LinkedHashMap<>(columnMetadata(id, false));
      if (f.getMetadata() != null) {
        metadata.putAll(f.getMetadata());
      }
      table.add(
          new Field(
              f.getName(),
              new FieldType(f.isNullable(), f.getType(), null, metadata),
              f.getChildren()));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(CqMetadata.TABLE_NAME, name);
    meta.put(CqMetadata.TABLE_DESCRIPTION, "Testing table");
    meta.put(CqMetadata.TABLE_TITLE, "");
    meta.put(CqMetadata.CONSTRAINT_NAME, name + "_cqpk");
    meta.put(CqMetadata.TABLE_PERMISSIONS_NEEDED, "null");
    meta.put(CqMetadata.TABLE_SENSITIVE_COLUMNS, "null");
    return new Schema(table, meta);
  }

  private static boolean isJson(Field f) {
    return f.getMetadata() != null
        && CqMetadata.EXT_JSON.equals(f.getMetadata().get(CqMetadata.EXTENSION_NAME));
  }

  /** A nested copy of a column: nullable (like Go's list and map children). */
  private static Field relaxed(Field f) {
    return new Field(
        f.getName(), new FieldType(true, f.getType(), null, f.getMetadata()), f.getChildren());
  }

  private static Field map(String name, ArrowType keyType, Field value) {
    return new Field(
        name,
        FieldType.nullable(new ArrowType.Map(false)),
        List.of(
            new Field(
                "entries",
                FieldType.notNullable(ArrowType.Struct.INSTANCE),
                List.of(
                    new Field("key", FieldType.notNullable(keyType), null),
                    new Field("value", relaxed(value).getFieldType(), value.getChildren())))));
  }
}
