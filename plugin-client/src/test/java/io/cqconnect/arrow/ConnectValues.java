package io.cqconnect.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Generates Connect values for any Arrow column mapped by {@link ArrowToConnect}, varied by row
 * (negative numbers, pre-1970 dates, nulls in every third row of nullable columns), and normalizes
 * values for deep comparison.
 */
final class ConnectValues {

  private static final long DAY = 86_400_000L;

  private ConnectValues() {}

  /** A value struct of {@code schema} (built from {@code columns}) for row {@code row}. */
  static Struct row(List<Field> columns, Schema schema, int row, boolean allNull) {
    Struct out = new Struct(schema);
    for (int i = 0; i < columns.size(); i++) {
      Field column = columns.get(i);
      org.apache.kafka.connect.data.Field target = schema.fields().get(i);
      out.put(target, allNull && column.isNullable() ? null : value(column, target.schema(), row));
    }
    return out;
  }

  static Object value(Field field, Schema schema, int row) {
    if (field.isNullable() && row % 3 == 2) {
      return null;
    }
    String ext = Columns.knownExtension(field);
    if (ext != null) {
      switch (ext) {
        case CqMetadata.EXT_UUID:
          return new UUID(0x123e4567e89b12d3L + row, -0x5ba9bd99ebe8c000L - row).toString();
        case CqMetadata.EXT_JSON:
          return "{\"test\":[\"a\",\"b\"," + row + "]}";
        case CqMetadata.EXT_INET:
          return "10." + row + ".0.0/16";
        default:
          return String.format("02:00:5e:10:00:%02x", row & 0xff);
      }
    }
    ArrowType type = field.getType();
    int sign = row % 2 == 0 ? 1 : -1;
    switch (type.getTypeID()) {
      case Int:
        {
          ArrowType.Int t = (ArrowType.Int) type;
          if (t.getIsSigned()) {
            switch (t.getBitWidth()) {
              case 8:
                return (byte) (sign * (100 + row));
              case 16:
                return (short) (sign * (30000 + row));
              case 32:
                return sign * (2_000_000_000 + row);
              default:
                return sign * (9_000_000_000_000_000_000L + row);
            }
          }
          switch (t.getBitWidth()) {
            case 8:
              return (short) (250 + row % 6);
            case 16:
              return 65_530 + row % 6;
            case 32:
              return 4_294_967_290L + row % 6;
            default:
              return new BigDecimal(
                  BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(row + 1)));
          }
        }
      case FloatingPoint:
        if (schema.type() == Schema.Type.FLOAT64) {
          return sign * (row + 0.125);
        }
        return (float) (sign * (row + 0.5));
      case Bool:
        return row % 2 == 0;
      case Utf8:
      case LargeUtf8:
        return "AString" + row + " ✓";
      case Binary:
      case LargeBinary:
        return new byte[] {(byte) row, (byte) -row, 0, 127};
      case FixedSizeBinary:
        {
          byte[] b = new byte[((ArrowType.FixedSizeBinary) type).getByteWidth()];
          b[0] = (byte) row;
          return b;
        }
      case Decimal:
        return new BigDecimal(
            BigInteger.valueOf(sign * (1_234_567_890_123L + row)),
            ((ArrowType.Decimal) type).getScale());
      case Date:
        return new java.util.Date((19471L + sign * row) * DAY);
      case Time:
        if (schema.type() == Schema.Type.INT64) {
          return ((ArrowType.Time) type).getUnit()
                  == org.apache.arrow.vector.types.TimeUnit.MICROSECOND
              ? 45_296_789_123L + row
              : 45_296_789_123_456L + row;
        }
        return new java.util.Date(
            ((ArrowType.Time) type).getUnit() == org.apache.arrow.vector.types.TimeUnit.SECOND
                ? (3600L + row) * 1000
                : 45_296_789L + row);
      case Timestamp:
        {
          long millis = 1_700_000_000_000L + sign * row * 1_000_123L;
          if (((ArrowType.Timestamp) type).getUnit()
              == org.apache.arrow.vector.types.TimeUnit.SECOND) {
            millis = Math.floorDiv(millis, 1000) * 1000;
          }
          return new java.util.Date(millis);
        }
      case Duration:
        return sign * (9_999_999L + row);
      case Interval:
        switch (((ArrowType.Interval) type).getUnit()) {
          case YEAR_MONTH:
            return sign * (12 + row);
          case DAY_TIME:
            return new Struct(schema).put("days", sign * row).put("milliseconds", row * 1000);
          default:
            return new Struct(schema)
                .put("months", sign * row)
                .put("days", row)
                .put("nanoseconds", sign * 3_000_000_000_000L + row);
        }
      case List:
      case LargeList:
      case FixedSizeList:
        {
          Field item = field.getChildren().get(0);
          int size =
              type instanceof ArrowType.FixedSizeList
                  ? ((ArrowType.FixedSizeList) type).getListSize()
                  : 3;
          List<Object> out = new ArrayList<>();
          for (int j = 0; j < size; j++) {
            // Index 1 is null when the element is nullable, like Go's generated lists.
            out.add(
                j == 1 && item.isNullable()
                    ? null
                    : value(item, schema.valueSchema(), row * 4 + j));
          }
          return out;
        }
      case Struct:
        {
          Struct out = new Struct(schema);
          List<Field> children = field.getChildren();
          for (int j = 0; j < children.size(); j++) {
            org.apache.kafka.connect.data.Field target = schema.fields().get(j);
            out.put(target, value(children.get(j), target.schema(), row));
          }
          return out;
        }
      case Map:
        {
          Field entries = field.getChildren().get(0);
          Field key = entries.getChildren().get(0);
          Field value = entries.getChildren().get(1);
          Map<Object, Object> out = new LinkedHashMap<>();
          for (int j = 0; j < 2; j++) {
            Object k =
                key.getType() instanceof ArrowType.Utf8
                    ? "k" + row + "_" + j
                    : (long) (row * 10 + j);
            out.put(k, value(value, schema.valueSchema(), row + j));
          }
          return out;
        }
      default:
        throw new IllegalArgumentException("no generator for " + type);
    }
  }

  /** A structure comparable with equals: byte arrays become buffers, structs name-value maps. */
  static Object normalize(Object value) {
    if (value instanceof byte[]) {
      return ByteBuffer.wrap((byte[]) value);
    }
    if (value instanceof Struct) {
      Struct s = (Struct) value;
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("$schema", s.schema().name());
      for (org.apache.kafka.connect.data.Field f : s.schema().fields()) {
        out.put(f.name(), normalize(s.get(f)));
      }
      return out;
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<?>) value) {
        out.add(normalize(o));
      }
      return out;
    }
    if (value instanceof Map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        out.put(normalize(e.getKey()), normalize(e.getValue()));
      }
      return out;
    }
    return value;
  }
}
