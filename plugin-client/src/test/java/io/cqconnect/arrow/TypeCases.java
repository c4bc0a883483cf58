package io.cqconnect.arrow;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Shared pieces of the per-type round-trip cases: the case record and field builders. */
final class TypeCases {

  private TypeCases() {}

  /** A column, how to fill it, and the Connect value expected per row. */
  record TypeCase(String name, Field field, Consumer<FieldVector> fill, List<Object> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Field nullable(String name, ArrowType type, Field... children) {
    return new Field(name, FieldType.nullable(type), List.of(children));
  }

  static Field extension(String name, ArrowType storage, String ext, String meta) {
    return new Field(
        name,
        new FieldType(
            true,
            storage,
            null,
            Map.of(CqMetadata.EXTENSION_NAME, ext, CqMetadata.EXTENSION_METADATA, meta)),
        null);
  }

  static java.util.Date date(long millis) {
    return new java.util.Date(millis);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<Object> values(Object... values) {
    return Arrays.asList(values);
  }

  static Field mapField(String name, ArrowType key, ArrowType value) {
    return new Field(
        name,
        FieldType.nullable(new ArrowType.Map(false)),
        List.of(
            new Field(
                "entries",
                FieldType.notNullable(ArrowType.Struct.INSTANCE),
                List.of(
                    new Field("key", FieldType.notNullable(key), null),
                    new Field("value", FieldType.nullable(value), null)))));
  }

  static Map<Object, Object> linkedMap(Object k1, Object v1, Object k2, Object v2) {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }
}
