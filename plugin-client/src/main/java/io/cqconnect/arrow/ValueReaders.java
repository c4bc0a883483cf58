package io.cqconnect.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMilliVector;
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
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Builds, once per column, the reader that turns one Arrow cell into the Connect value its {@link
 * ConnectSchemas} schema expects. Readers are not thread-safe (string readers reuse a buffer).
 */
final class ValueReaders {

  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  /** Reads the cell at {@code index} of {@code vector}; null for an Arrow null. */
  interface ValueReader {
    Object read(ValueVector vector, int index);
  }

  private final Structs structs;

  ValueReaders(Structs structs) {
    this.structs = structs;
  }

  /** The reader for an Arrow field whose Connect schema {@code schema} was built from it. */
  ValueReader create(Field field, Schema schema) {
    ValueReader reader = createForStorage(field, schema);
    if (field.getType() instanceof ArrowType.ExtensionType) {
      // A registered Java extension type wraps the storage vector.
      return (v, i) -> reader.read(((ExtensionTypeVector<?>) v).getUnderlyingVector(), i);
    }
    return reader;
  }

  private ValueReader createForStorage(Field field, Schema schema) {
    String extension = Columns.knownExtension(field);
    if (extension != null) {
      switch (extension) {
        case CqMetadata.EXT_UUID:
          return ValueReaders::uuid;
        case CqMetadata.EXT_MAC:
          return ValueReaders::mac;
        default:
          return utf8();
      }
    }
    ArrowType type = Columns.storageType(field);
    switch (type.getTypeID()) {
      case Int:
        return integer((ArrowType.Int) type);
      case FloatingPoint:
        switch (((ArrowType.FloatingPoint) type).getPrecision()) {
          case HALF:
            return (v, i) -> v.isNull(i) ? null : ((Float2Vector) v).getValueAsFloat(i);
          case SINGLE:
            return (v, i) -> v.isNull(i) ? null : ((Float4Vector) v).get(i);
          default:
            return (v, i) -> v.isNull(i) ? null : ((Float8Vector) v).get(i);
        }
      case Bool:
        return (v, i) -> v.isNull(i) ? null : ((BitVector) v).get(i) != 0;
      case Utf8:
      case LargeUtf8:
        return utf8();
      case Binary:
      case LargeBinary:
      case FixedSizeBinary:
        return (v, i) -> v.isNull(i) ? null : v.getObject(i);
      case Decimal:
        return ((ArrowType.Decimal) type).getBitWidth() == 256
            ? (v, i) -> v.isNull(i) ? null : ((Decimal256Vector) v).getObject(i)
            : (v, i) -> v.isNull(i) ? null : ((DecimalVector) v).getObject(i);
      case Date:
        return date((ArrowType.Date) type);
      case Time:
        return time((ArrowType.Time) type);
      case Timestamp:
        return timestamp((ArrowType.Timestamp) type, schema);
      case Duration:
        return (v, i) ->
            v.isNull(i) ? null : DurationVector.get(((DurationVector) v).getDataBuffer(), i);
      case Interval:
        return interval((ArrowType.Interval) type, schema);
      case List:
        return list(field, schema, ListKind.LIST);
      case LargeList:
        return list(field, schema, ListKind.LARGE);
      case FixedSizeList:
        return list(field, schema, ListKind.FIXED);
      case Struct:
        return struct(field, schema);
      case Map:
        return map(field, schema);
      default:
        // ConnectSchemas rejects these first, with the table and column in the message.
        throw new IllegalStateException("no reader for Arrow type " + type);
    }
  }

  private static ValueReader integer(ArrowType.Int type) {
    if (type.getIsSigned()) {
      switch (type.getBitWidth()) {
        case 8:
          return (v, i) -> v.isNull(i) ? null : ((TinyIntVector) v).get(i);
        case 16:
          return (v, i) -> v.isNull(i) ? null : ((SmallIntVector) v).get(i);
        case 32:
          return (v, i) -> v.isNull(i) ? null : ((IntVector) v).get(i);
        default:
          return (v, i) -> v.isNull(i) ? null : ((BigIntVector) v).get(i);
      }
    }
    switch (type.getBitWidth()) {
      case 8:
        return (v, i) -> v.isNull(i) ? null : (short) (((UInt1Vector) v).get(i) & 0xff);
      case 16:
        return (v, i) -> v.isNull(i) ? null : (int) ((UInt2Vector) v).get(i);
      case 32:
        return (v, i) -> v.isNull(i) ? null : ((UInt4Vector) v).get(i) & 0xffffffffL;
      default:
        return (v, i) -> v.isNull(i) ? null : unsigned64(((UInt8Vector) v).get(i));
    }
  }

  static BigDecimal unsigned64(long raw) {
    return raw >= 0 ? BigDecimal.valueOf(raw) : new BigDecimal(BigInteger.valueOf(raw).add(TWO_64));
  }

  /** UTF-8 text, decoded straight from the Arrow buffer through a reused scratch array. */
  private static ValueReader utf8() {
    return new ValueReader() {
      private byte[] scratch = new byte[256];

      @Override
      public Object read(ValueVector v, int i) {
        if (v.isNull(i)) {
          return null;
        }
        long start;
        int length;
        ArrowBuf data;
        if (v instanceof BaseVariableWidthVector) {
          BaseVariableWidthVector vector = (BaseVariableWidthVector) v;
          start = vector.getStartOffset(i);
          length = vector.getValueLength(i);
          data = vector.getDataBuffer();
        } else {
          BaseLargeVariableWidthVector vector = (BaseLargeVariableWidthVector) v;
          ArrowBuf offsets = vector.getOffsetBuffer();
          start = offsets.getLong(8L * i);
          length = Math.toIntExact(offsets.getLong(8L * i + 8) - start);
          data = vector.getDataBuffer();
        }
        if (length > scratch.length) {
          scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        data.getBytes(start, scratch, 0, length);
        return new String(scratch, 0, length, StandardCharsets.UTF_8);
      }
    };
  }

  private static Object uuid(ValueVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    ArrowBuf data = ((FixedSizeBinaryVector) v).getDataBuffer();
    long offset = 16L * i;
    // Arrow buffers are little-endian; UUID bytes are big-endian.
    long msb = Long.reverseBytes(data.getLong(offset));
    long lsb = Long.reverseBytes(data.getLong(offset + 8));
    return new UUID(msb, lsb).toString();
  }

  private static Object mac(ValueVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    byte[] bytes = (byte[]) v.getObject(i);
    return TextForms.mac(bytes, bytes.length);
  }

  private static ValueReader date(ArrowType.Date type) {
    switch (type.getUnit()) {
      case DAY:
        return (v, i) ->
            v.isNull(i) ? null : new java.util.Date(((DateDayVector) v).get(i) * MILLIS_PER_DAY);
      default:
        // Arrow requires date64 values at midnight; flooring keeps Connect Date valid if not.
        return (v, i) ->
            v.isNull(i)
                ? null
                : new java.util.Date(
                    Math.floorDiv(((DateMilliVector) v).get(i), MILLIS_PER_DAY) * MILLIS_PER_DAY);
    }
  }

  private static ValueReader time(ArrowType.Time type) {
    switch (type.getUnit()) {
      case SECOND:
        return (v, i) ->
            v.isNull(i) ? null : new java.util.Date(((TimeSecVector) v).get(i) * 1000L);
      case MILLISECOND:
        return (v, i) -> v.isNull(i) ? null : new java.util.Date(((TimeMilliVector) v).get(i));
      default:
        // time64 stays a count of its unit (INT64), read straight from the 8-byte buffer.
        return (v, i) ->
            v.isNull(i)
                ? null
                : ((org.apache.arrow.vector.BaseFixedWidthVector) v)
                    .getDataBuffer()
                    .getLong(8L * i);
    }
  }

  private static ValueReader timestamp(ArrowType.Timestamp type, Schema schema) {
    if (ExactTimestamp.is(schema)) {
      // The raw count of the Arrow unit, as time64 is read.
      return (v, i) -> v.isNull(i) ? null : ((TimeStampVector) v).get(i);
    }
    switch (type.getUnit()) {
      case SECOND:
        return (v, i) ->
            v.isNull(i) ? null : new java.util.Date(((TimeStampVector) v).get(i) * 1000L);
      case MILLISECOND:
        return (v, i) -> v.isNull(i) ? null : new java.util.Date(((TimeStampVector) v).get(i));
      case MICROSECOND:
        return (v, i) ->
            v.isNull(i)
                ? null
                : new java.util.Date(Math.floorDiv(((TimeStampVector) v).get(i), 1000L));
      default:
        return (v, i) ->
            v.isNull(i)
                ? null
                : new java.util.Date(Math.floorDiv(((TimeStampVector) v).get(i), 1_000_000L));
    }
  }

  private ValueReader interval(ArrowType.Interval type, Schema schema) {
    switch (type.getUnit()) {
      case YEAR_MONTH:
        return (v, i) -> v.isNull(i) ? null : ((IntervalYearVector) v).get(i);
      case DAY_TIME:
        {
          org.apache.kafka.connect.data.Field days = schema.field("days");
          org.apache.kafka.connect.data.Field millis = schema.field("milliseconds");
          return (v, i) -> {
            if (v.isNull(i)) {
              return null;
            }
            ArrowBuf data = ((org.apache.arrow.vector.BaseFixedWidthVector) v).getDataBuffer();
            Struct out = new Struct(schema);
            structs.set(out, days, data.getInt(8L * i));
            structs.set(out, millis, data.getInt(8L * i + 4));
            return out;
          };
        }
      default:
        {
          org.apache.kafka.connect.data.Field months = schema.field("months");
          org.apache.kafka.connect.data.Field days = schema.field("days");
          org.apache.kafka.connect.data.Field nanos = schema.field("nanoseconds");
          return (v, i) -> {
            if (v.isNull(i)) {
              return null;
            }
            ArrowBuf data = ((org.apache.arrow.vector.BaseFixedWidthVector) v).getDataBuffer();
            Struct out = new Struct(schema);
            structs.set(out, months, data.getInt(16L * i));
            structs.set(out, days, data.getInt(16L * i + 4));
            structs.set(out, nanos, data.getLong(16L * i + 8));
            return out;
          };
        }
    }
  }

  private enum ListKind {
    LIST,
    LARGE,
    FIXED
  }

  private ValueReader list(Field field, Schema schema, ListKind kind) {
    ValueReader element = create(field.getChildren().get(0), schema.valueSchema());
    return (v, i) -> {
      if (v.isNull(i)) {
        return null;
      }
      int start;
      int end;
      ValueVector data;
      switch (kind) {
        case LIST:
          {
            ListVector vector = (ListVector) v;
            ArrowBuf offsets = vector.getOffsetBuffer();
            start = offsets.getInt(4L * i);
            end = offsets.getInt(4L * i + 4);
            data = vector.getDataVector();
            break;
          }
        case LARGE:
          {
            LargeListVector vector = (LargeListVector) v;
            ArrowBuf offsets = vector.getOffsetBuffer();
            start = Math.toIntExact(offsets.getLong(8L * i));
            end = Math.toIntExact(offsets.getLong(8L * i + 8));
            data = vector.getDataVector();
            break;
          }
        default:
          {
            FixedSizeListVector vector = (FixedSizeListVector) v;
            start = vector.getListSize() * i;
            end = start + vector.getListSize();
            data = vector.getDataVector();
            break;
          }
      }
      List<Object> out = new ArrayList<>(end - start);
      for (int j = start; j < end; j++) {
        out.add(element.read(data, j));
      }
      return out;
    };
  }

  private ValueReader struct(Field field, Schema schema) {
    List<Field> children = field.getChildren();
    int n = children.size();
    ValueReader[] readers = new ValueReader[n];
    org.apache.kafka.connect.data.Field[] targets = new org.apache.kafka.connect.data.Field[n];
    for (int j = 0; j < n; j++) {
      targets[j] = schema.fields().get(j);
      readers[j] = create(children.get(j), targets[j].schema());
    }
    return (v, i) -> {
      if (v.isNull(i)) {
        return null;
      }
      StructVector vector = (StructVector) v;
      Struct out = new Struct(schema);
      for (int j = 0; j < n; j++) {
        structs.set(out, targets[j], readers[j].read(vector.getChildByOrdinal(j), i));
      }
      return out;
    };
  }

  private ValueReader map(Field field, Schema schema) {
    Field entries = field.getChildren().get(0);
    ValueReader keys = create(entries.getChildren().get(0), schema.keySchema());
    ValueReader values = create(entries.getChildren().get(1), schema.valueSchema());
    return (v, i) -> {
      if (v.isNull(i)) {
        return null;
      }
      ListVector vector = (ListVector) v;
      ArrowBuf offsets = vector.getOffsetBuffer();
      int start = offsets.getInt(4L * i);
      int end = offsets.getInt(4L * i + 4);
      StructVector data = (StructVector) vector.getDataVector();
      ValueVector keyVector = data.getChildByOrdinal(0);
      ValueVector valueVector = data.getChildByOrdinal(1);
      Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, (end - start) * 4 / 3 + 1));
      for (int j = start; j < end; j++) {
        out.put(keys.read(keyVector, j), values.read(valueVector, j));
      }
      return out;
    };
  }
}
