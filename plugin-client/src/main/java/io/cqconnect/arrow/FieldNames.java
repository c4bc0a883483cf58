package io.cqconnect.arrow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Field;

/**
 * Names of Connect struct fields for Arrow columns and struct children, chosen so that every
 * Connect schema the source writes is also a valid Avro schema (schema registry converters).
 *
 * <p>The rule: a name that Avro accepts ({@code [A-Za-z_][A-Za-z0-9_]*}) is kept as it is. Any
 * other name gets every character outside {@code [A-Za-z0-9_]} replaced by {@code _} and a {@code
 * _} in front when it starts with a digit ({@code my-col} → {@code my_col}, {@code 1st} → {@code
 * _1st}, {@code a.b} → {@code a_b}); when that name is already taken by another field of the same
 * struct, {@code _2}, {@code _3}, ... is appended. A renamed field's schema carries the original
 * name in the parameter {@link SchemaParameters#FIELD_NAME}, from which the sink writes the column
 * under its original name ({@link #arrowName}).
 */
public final class FieldNames {

  private FieldNames() {}

  /** Whether Avro accepts {@code name} as a field or record name. */
  public static boolean isAvroName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** The Connect field names of a struct's Arrow children, in order (see the class comment). */
  static List<String> connectNames(List<String> arrowNames) {
    Set<String> taken = new HashSet<>();
    for (String name : arrowNames) {
      if (isAvroName(name)) {
        taken.add(name);
      }
    }
    List<String> names = new ArrayList<>(arrowNames.size());
    for (String name : arrowNames) {
      if (isAvroName(name)) {
        names.add(name);
        continue;
      }
      String base = Columns.avroSafe(name);
      String candidate = base;
      for (int n = 2; !taken.add(candidate); n++) {
        candidate = base + "_" + n;
      }
      names.add(candidate);
    }
    return names;
  }

  /** The Arrow (CloudQuery) name of a Connect field: its original name if it was renamed. */
  public static String arrowName(Field field) {
    java.util.Map<String, String> params = field.schema().parameters();
    String original = params == null ? null : params.get(SchemaParameters.FIELD_NAME);
    return original == null ? field.name() : original;
  }
}
