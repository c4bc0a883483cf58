package io.cqconnect.demo;

import io.cqconnect.arrow.CqMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The demo plugin's two tables as CloudQuery Arrow schemas, with the metadata the Go SDK writes:
 * {@code demo_events} (incremental, cursor column {@code ts}) and {@code demo_users} (full
 * refresh); and table selection by CloudQuery glob patterns.
 */
final class DemoTables {

  /** The incremental table; also its state key. */
  static final String EVENTS = "demo_events";

  /** The full-refresh table. */
  static final String USERS = "demo_users";

  static final ArrowType INT64 = new ArrowType.Int(64, true);
  static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
  static final ArrowType TIMESTAMP_US_UTC = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

  private static final Schema EVENTS_SCHEMA =
      table(
          EVENTS,
          "Deterministic demo events; each sync emits the next events after the stored cursor",
          true,
          List.of(
              column("id", INT64, true, false),
              column("ts", TIMESTAMP_US_UTC, false, true),
              column("kind", UTF8, false, false),
              column("payload", UTF8, false, false)));

  private static final Schema USERS_SCHEMA =
      table(
          USERS,
          "A handful of demo users, synced in full every time",
          false,
          List.of(
              column("id", INT64, true, false),
              column("name", UTF8, false, false),
              column("email", UTF8, false, false),
              column("created_at", TIMESTAMP_US_UTC, false, false)));

  private DemoTables() {}

  static Schema events() {
    return EVENTS_SCHEMA;
  }

  static Schema users() {
    return USERS_SCHEMA;
  }

  /** Every table, in sync order. */
  static List<Schema> all() {
    return List.of(EVENTS_SCHEMA, USERS_SCHEMA);
  }

  /**
   * The tables matching any pattern of {@code tables} and none of {@code skipTables}.
   *
   * @throws IllegalArgumentException if {@code tables} is empty
   */
  static List<Schema> select(List<String> tables, List<String> skipTables) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException(
          "no tables requested: pass table names or glob patterns, e.g. [\"*\"]; this plugin has "
              + EVENTS
              + " and "
              + USERS);
    }
    List<Schema> selected = new ArrayList<>();
    for (Schema schema : all()) {
      String name = name(schema);
      if (matchesAny(tables, name) && !matchesAny(skipTables, name)) {
        selected.add(schema);
      }
    }
    return selected;
  }

  static String name(Schema schema) {
    return schema.getCustomMetadata().get(CqMetadata.TABLE_NAME);
  }

  static boolean matchesAny(List<String> patterns, String name) {
    for (String p : patterns) {
      if (glob(p).matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  /** CloudQuery's table patterns: {@code *} any run of characters, {@code ?} one character. */
  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static Schema table(
      String name, String description, boolean incremental, List<Field> columns) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(CqMetadata.TABLE_NAME, name);
    md.put(CqMetadata.TABLE_DESCRIPTION, description);
    md.put(CqMetadata.TABLE_TITLE, "");
    md.put(CqMetadata.CONSTRAINT_NAME, name + "_cqpk");
    if (incremental) {
      md.put(CqMetadata.INCREMENTAL, CqMetadata.TRUE);
    }
    md.put(CqMetadata.TABLE_PERMISSIONS_NEEDED, "null");
    md.put(CqMetadata.TABLE_SENSITIVE_COLUMNS, "null");
    return new Schema(columns, md);
  }

  private static Field column(String name, ArrowType type, boolean primaryKey, boolean cursor) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(CqMetadata.PRIMARY_KEY, Boolean.toString(primaryKey));
    md.put(CqMetadata.UNIQUE, CqMetadata.FALSE);
    md.put(CqMetadata.INCREMENTAL, Boolean.toString(cursor));
    md.put(CqMetadata.PRIMARY_KEY_COMPONENT, CqMetadata.FALSE);
    return new Field(name, new FieldType(!primaryKey, type, null, md), null);
  }
}
