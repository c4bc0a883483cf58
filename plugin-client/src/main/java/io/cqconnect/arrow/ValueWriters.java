package io.cqconnect.arrow;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.IntervalDayVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Builds, once per Arrow column, the writer that stores a Connect value into an Arrow vector: the
 * reverse of {@link ValueReaders}.
 */
final class ValueWriters {

  private static final long MILLIS_PER_DAY = 86_400_000L;

  /** Writes a value (null allowed) at {@code index}; indexes are written in increasing order. */
  interface ValueWriter {
    void write(ValueVector vector, int index, Object value);
  }

  /** Writes a non-null value. */
  private interface Setter {
    void set(ValueVector vector, int index, Object value);
  }

  private ValueWriters() {}

  static ValueWriter create(Field field) {
    Setter setter = setter(field);
    if (!field.isNullable()) {
      return (v, i, value) -> {
        if (value == null) {
          throw new IllegalArgumentException(
              "null value for '" + field.getName() + "', which is not nullable");
        }
        setter.set(v, i, value);
      };
    }
    NullSetter nulls = nullSetter(field);
    return (v, i, value) -> {
      if (value == null) {
        nulls.setNull(v, i);
      } else {
        setter.set(v, i, value);
      }
    };
  }

  /**
   * How a null is stored in the field's vector, decided once from the field's type (the vector is
   * created from the field, and the setters cast it the same way), not per null.
   */
  private static NullSetter nullSetter(Field field) {
    if (field.getType() instanceof ArrowType.ExtensionType) {
      return ValueWriters::setNull; // a registered extension's own vector class
    }
    switch (field.getType().getTypeID()) {
      case Int:
      case FloatingPoint:
      case Bool:
      case FixedSizeBinary:
      case Decimal:
      case Date:
      case Time:
      case Timestamp:
      case Duration:
      case Interval:
        return (v, i) -> ((org.apache.arrow.vector.BaseFixedWidthVector) v).setNull(i);
      case Utf8:
      case Binary:
        return (v, i) -> ((BaseVariableWidthVector) v).setNull(i);
      case LargeUtf8:
      case LargeBinary:
        return (v, i) -> ((BaseLargeVariableWidthVector) v).setNull(i);
      case List:
      case Map:
        return (v, i) -> ((ListVector) v).setNull(i);
      case LargeList:
        return (v, i) -> ((LargeListVector) v).setNull(i);
      case FixedSizeList:
        return (v, i) -> ((FixedSizeListVector) v).setNull(i);
      case Struct:
        return (v, i) -> ((StructVector) v).setNull(i);
      default:
        return ValueWriters::setNull;
    }
  }

  /** Stores null at an index of a vector of one kind. */
  private interface NullSetter {
    void setNull(ValueVector vector, int index);
  }

  /** Any vector kind, found by its class. */
  private static void setNull(ValueVector v, int i) {
    if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector) {
      ((org.apache.arrow.vector.BaseFixedWidthVector) v).setNull(i);
    } else if (v instanceof BaseVariableWidthVector) {
      ((BaseVariableWidthVector) v).setNull(i);
    } else if (v instanceof BaseLargeVariableWidthVector) {
      ((BaseLargeVariableWidthVector) v).setNull(i);
    } else if (v instanceof ListVector) {
      ((ListVector) v).setNull(i);
    } else if (v instanceof LargeListVector) {
      ((LargeListVector) v).setNull(i);
    } else if (v instanceof FixedSizeListVector) {
      ((FixedSizeListVector) v).setNull(i);
    } else if (v instanceof StructVector) {
      ((StructVector) v).setNull(i);
    } else {
      throw new IllegalStateException("cannot store null in " + v.getClass().getSimpleName());
    }
  }

  private static Setter setter(Field field) {
    String extension = Columns.knownExtension(field);
    if (extension != null) {
      switch (extension) {
        case CqMetadata.EXT_UUID:
          return (v, i, x) -> ((FixedSizeBinaryVector) v).setSafe(i, Coercions.uuidBytes(x));
        case CqMetadata.EXT_MAC:
          return (v, i, x) ->
              ((BaseVariableWidthVector) v)
                  .setSafe(i, x instanceof byte[] ? (byte[]) x : TextForms.macBytes((String) x));
        default:
          return (v, i, x) -> ((BaseVariableWidthVector) v).setSafe(i, Coercions.utf8(x));
      }
    }
    ArrowType type = Columns.storageType(field);
    switch (type.getTypeID()) {
      case Int:
        return integer((ArrowType.Int) type);
      case FloatingPoint:
        switch (((ArrowType.FloatingPoint) type).getPrecision()) {
          case HALF:
            return (v, i, x) ->
                ((Float2Vector) v).setSafeWithPossibleTruncate(i, ((Number) x).floatValue());
          case SINGLE:
            return (v, i, x) -> ((Float4Vector) v).setSafe(i, ((Number) x).floatValue());
          default:
            return (v, i, x) -> ((Float8Vector) v).setSafe(i, ((Number) x).doubleValue());
        }
      case Bool:
        return (v, i, x) -> ((BitVector) v).setSafe(i, ((Boolean) x) ? 1 : 0);
      case Utf8:
        return (v, i, x) -> ((BaseVariableWidthVector) v).setSafe(i, Coercions.utf8(x));
      case LargeUtf8:
        return (v, i, x) -> ((BaseLargeVariableWidthVector) v).setSafe(i, Coercions.utf8(x));
      case Binary:
        return (v, i, x) -> {
          ByteBuffer b = Coercions.bytes(x);
          ((BaseVariableWidthVector) v).setSafe(i, b, b.position(), b.remaining());
        };
      case LargeBinary:
        return (v, i, x) -> {
          ByteBuffer b = Coercions.bytes(x);
          ((BaseLargeVariableWidthVector) v).setSafe(i, b, b.position(), b.remaining());
        };
      case FixedSizeBinary:
        {
          int width = ((ArrowType.FixedSizeBinary) type).getByteWidth();
          return (v, i, x) -> {
            ByteBuffer b = Coercions.bytes(x);
            if (b.remaining() != width) {
              throw new IllegalArgumentException(
                  "value has " + b.remaining() + " bytes but the column holds exactly " + width);
            }
            byte[] copy = new byte[width];
            b.duplicate().get(copy);
            ((FixedSizeBinaryVector) v).setSafe(i, copy);
          };
        }
      case Decimal:
        return decimal((ArrowType.Decimal) type);
      case Date:
        return ((ArrowType.Date) type).getUnit() == org.apache.arrow.vector.types.DateUnit.DAY
            ? (v, i, x) ->
                ((DateDayVector) v)
                    .setSafe(i, Math.toIntExact(Math.floorDiv(Coercions.millis(x), MILLIS_PER_DAY)))
            : (v, i, x) -> ((DateMilliVector) v).setSafe(i, Coercions.millis(x));
      case Time:
        return time((ArrowType.Time) type);
      case Timestamp:
        return timestamp(((ArrowType.Timestamp) type).getUnit());
      case Duration:
        return (v, i, x) -> ((DurationVector) v).setSafe(i, ((Number) x).longValue());
      case Interval:
        return interval((ArrowType.Interval) type);
      case List:
      case LargeList:
      case FixedSizeList:
        return list(field, type);
      case Struct:
        return struct(field);
      case Map:
        return map(field);
      default:
        throw new IllegalStateException("no writer for Arrow type " + type);
    }
  }

  private static Setter integer(ArrowType.Int type) {
    if (type.getIsSigned()) {
      switch (type.getBitWidth()) {
        case 8:
          return (v, i, x) -> ((TinyIntVector) v).setSafe(i, ((Number) x).byteValue());
        case 16:
          return (v, i, x) -> ((SmallIntVector) v).setSafe(i, ((Number) x).shortValue());
        case 32:
          return (v, i, x) -> ((IntVector) v).setSafe(i, ((Number) x).intValue());
        default:
          return (v, i, x) -> ((BigIntVector) v).setSafe(i, ((Number) x).longValue());
      }
    }
    switch (type.getBitWidth()) {
      case 8:
        return (v, i, x) ->
            ((UInt1Vector) v).setSafe(i, (int) Coercions.unsigned(x, 0xffL, "uint8"));
      case 16:
        return (v, i, x) ->
            ((UInt2Vector) v).setSafe(i, (int) Coercions.unsigned(x, 0xffffL, "uint16"));
      case 32:
        return (v, i, x) ->
            ((UInt4Vector) v).setSafe(i, (int) Coercions.unsigned(x, 0xffffffffL, "uint32"));
      default:
        return (v, i, x) -> ((UInt8Vector) v).setSafe(i, Coercions.unsigned64(x));
    }
  }

  private static Setter decimal(ArrowType.Decimal type) {
    int scale = type.getScale();
    if (type.getBitWidth() == 256) {
      return (v, i, x) -> ((Decimal256Vector) v).setSafe(i, Coercions.scaled(x, scale));
    }
    return (v, i, x) -> ((DecimalVector) v).setSafe(i, Coercions.scaled(x, scale));
  }

  private static Setter time(ArrowType.Time type) {
    switch (type.getUnit()) {
      case SECOND:
        return (v, i, x) ->
            ((TimeSecVector) v)
                .setSafe(i, Math.toIntExact(Math.floorDiv(Coercions.millis(x), 1000L)));
      case MILLISECOND:
        return (v, i, x) -> ((TimeMilliVector) v).setSafe(i, Math.toIntExact(Coercions.millis(x)));
      case MICROSECOND:
        return (v, i, x) -> ((TimeMicroVector) v).setSafe(i, Coercions.count(x, 1000L));
      default:
        return (v, i, x) -> ((TimeNanoVector) v).setSafe(i, Coercions.count(x, 1_000_000L));
    }
  }

  private static Setter timestamp(TimeUnit unit) {
    switch (unit) {
      case SECOND:
        return (v, i, x) ->
            ((TimeStampVector) v)
                .setSafe(
                    i,
                    x instanceof java.util.Date
                        ? Math.floorDiv(((java.util.Date) x).getTime(), 1000L)
                        : ((Number) x).longValue());
      case MILLISECOND:
        return (v, i, x) -> ((TimeStampVector) v).setSafe(i, Coercions.count(x, 1L));
      case MICROSECOND:
        return (v, i, x) -> ((TimeStampVector) v).setSafe(i, Coercions.count(x, 1000L));
      default:
        return (v, i, x) -> ((TimeStampVector) v).setSafe(i, Coercions.count(x, 1_000_000L));
    }
  }

  private static Setter interval(ArrowType.Interval type) {
    switch (type.getUnit()) {
      case YEAR_MONTH:
        return (v, i, x) -> ((IntervalYearVector) v).setSafe(i, ((Number) x).intValue());
      case DAY_TIME:
        return (v, i, x) -> {
          Struct s = (Struct) x;
          ((IntervalDayVector) v).setSafe(i, s.getInt32("days"), s.getInt32("milliseconds"));
        };
      default:
        return (v, i, x) -> {
          Struct s = (Struct) x;
          ((IntervalMonthDayNanoVector) v)
              .setSafe(i, s.getInt32("months"), s.getInt32("days"), s.getInt64("nanoseconds"));
        };
    }
  }

  private static Setter list(Field field, ArrowType type) {
    ValueWriter element = create(field.getChildren().get(0));
    switch (type.getTypeID()) {
      case List:
        return (v, i, x) -> {
          ListVector vector = (ListVector) v;
          List<?> items = (List<?>) x;
          int start = vector.startNewValue(i);
          ValueVector data = vector.getDataVector();
          for (int j = 0; j < items.size(); j++) {
            element.write(data, start + j, items.get(j));
          }
          vector.endValue(i, items.size());
        };
      case LargeList:
        return (v, i, x) -> {
          LargeListVector vector = (LargeListVector) v;
          List<?> items = (List<?>) x;
          int start = Math.toIntExact(vector.startNewValue(i));
          ValueVector data = vector.getDataVector();
          for (int j = 0; j < items.size(); j++) {
            element.write(data, start + j, items.get(j));
          }
          vector.endValue(i, items.size());
        };
      default:
        {
          int size = ((ArrowType.FixedSizeList) type).getListSize();
          return (v, i, x) -> {
            FixedSizeListVector vector = (FixedSizeListVector) v;
            List<?> items = (List<?>) x;
            if (items.size() != size) {
              throw new IllegalArgumentException(
                  "list has " + items.size() + " elements but the column holds exactly " + size);
            }
            int start = vector.startNewValue(i);
            ValueVector data = vector.getDataVector();
            for (int j = 0; j < size; j++) {
              element.write(data, start + j, items.get(j));
            }
          };
        }
    }
  }

  private static Setter struct(Field field) {
    StructFields fields = new StructFields(field.getChildren());
    return (v, i, x) -> {
      StructVector vector = (StructVector) v;
      vector.setIndexDefined(i);
      fields.write(vector, i, (Struct) x);
    };
  }

  private static Setter map(Field field) {
    Field entries = field.getChildren().get(0);
    ValueWriter keys = create(entries.getChildren().get(0));
    ValueWriter values = create(entries.getChildren().get(1));
    return (v, i, x) -> {
      ListVector vector = (ListVector) v;
      Map<?, ?> map = (Map<?, ?>) x;
      int start = vector.startNewValue(i);
      StructVector data = (StructVector) vector.getDataVector();
      ValueVector keyVector = data.getChildByOrdinal(0);
      ValueVector valueVector = data.getChildByOrdinal(1);
      int j = start;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getKey() == null) {
          throw new IllegalArgumentException("map has a null key; Arrow map keys cannot be null");
        }
        data.setIndexDefined(j);
        keys.write(keyVector, j, e.getKey());
        values.write(valueVector, j, e.getValue());
        j++;
      }
      vector.endValue(i, map.size());
    };
  }
}
