package io.cqconnect.arrow;

import io.cqconnect.arrow.ValueWriters.ValueWriter;
import java.util.List;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Writes the children of an Arrow struct (or the columns of a row) from a Connect struct, matching
 * fields by their Arrow name ({@link FieldNames#arrowName}) once per Connect schema rather than
 * once per value.
 */
final class StructFields {
  private final String[] names;
  private final ValueWriter[] writers;
  private org.apache.kafka.connect.data.Schema boundSchema;
  private org.apache.kafka.connect.data.Field[] bound;

  StructFields(List<Field> children) {
    int n = children.size();
    names = new String[n];
    writers = new ValueWriter[n];
    for (int j = 0; j < n; j++) {
      names[j] = children.get(j).getName();
      writers[j] = ValueWriters.create(children.get(j));
    }
  }

  int size() {
    return names.length;
  }

  String name(int j) {
    return names[j];
  }

  void write(StructVector vector, int index, Struct value) {
    org.apache.kafka.connect.data.Field[] fields = bind(value);
    for (int j = 0; j < names.length; j++) {
      writers[j].write(vector.getChildByOrdinal(j), index, get(value, fields[j]));
    }
  }

  /** Writes child {@code j} of {@code value} into {@code vector}. */
  void writeChild(int j, ValueVector vector, int index, Struct value) {
    writers[j].write(vector, index, get(value, bind(value)[j]));
  }

  private static Object get(Struct value, org.apache.kafka.connect.data.Field field) {
    return field == null ? null : value.get(field);
  }

  private org.apache.kafka.connect.data.Field[] bind(Struct value) {
    org.apache.kafka.connect.data.Schema schema = value.schema();
    if (schema != boundSchema) {
      org.apache.kafka.connect.data.Field[] fields =
          new org.apache.kafka.connect.data.Field[names.length];
      for (int j = 0; j < names.length; j++) {
        fields[j] = schema.field(names[j]);
      }
      // Fields renamed for Avro (FieldNames) carry their Arrow name.
      for (org.apache.kafka.connect.data.Field field : schema.fields()) {
        if (!field.name().equals(FieldNames.arrowName(field))) {
          for (int j = 0; j < names.length; j++) {
            if (names[j].equals(FieldNames.arrowName(field))) {
              fields[j] = field;
            }
          }
        }
      }
      bound = fields;
      boundSchema = schema;
    }
    return bound;
  }
}
