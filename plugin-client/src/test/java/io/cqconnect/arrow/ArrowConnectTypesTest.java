package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.IntervalDayVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
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
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compare.VectorEqualsVisitor;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per Arrow type CloudQuery emits: Arrow vectors (with nulls and edge values) go through
 * IPC, to Connect (checked against expected Connect values) and back to Arrow, which must equal the
 * original schema and data.
 */
class ArrowConnectTypesTest {

  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    assertThat(allocator.getAllocatedMemory()).as("leaked Arrow memory").isZero();
    allocator.close();
  }

  /** A column, how to fill it, and the Connect value expected per row. */
  record Case(String name, Field field, Consumer<FieldVector> fill, List<Object> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Field nullable(String name, ArrowType type, Field... children) {
    return new Field(name, FieldType.nullable(type), List.of(children));
  }

  private static Field extension(String name, ArrowType storage, String ext, String meta) {
    return new Field(
        name,
        new FieldType(
            true,
            storage,
            null,
            Map.of(CqMetadata.EXTENSION_NAME, ext, CqMetadata.EXTENSION_METADATA, meta)),
        null);
  }

  private static java.util.Date date(long millis) {
    return new java.util.Date(millis);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Object> values(Object... values) {
    return Arrays.asList(values);
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "int8",
            nullable("c", new ArrowType.Int(8, true)),
            v -> {
              TinyIntVector x = (TinyIntVector) v;
              x.setSafe(0, Byte.MIN_VALUE);
              x.setSafe(1, Byte.MAX_VALUE);
              x.setNull(2);
            },
            values((byte) -128, (byte) 127, null)));
    cases.add(
        new Case(
            "int16",
            nullable("c", new ArrowType.Int(16, true)),
            v -> {
              SmallIntVector x = (SmallIntVector) v;
              x.setSafe(0, Short.MIN_VALUE);
              x.setNull(1);
              x.setSafe(2, Short.MAX_VALUE);
            },
            values(Short.MIN_VALUE, null, Short.MAX_VALUE)));
    cases.add(
        new Case(
            "int32",
            nullable("c", new ArrowType.Int(32, true)),
            v -> {
              IntVector x = (IntVector) v;
              x.setSafe(0, Integer.MIN_VALUE);
              x.setSafe(1, Integer.MAX_VALUE);
              x.setNull(2);
            },
            values(Integer.MIN_VALUE, Integer.MAX_VALUE, null)));
    cases.add(
        new Case(
            "int64",
            nullable("c", new ArrowType.Int(64, true)),
            v -> {
              BigIntVector x = (BigIntVector) v;
              x.setSafe(0, Long.MIN_VALUE);
              x.setSafe(1, Long.MAX_VALUE);
              x.setNull(2);
            },
            values(Long.MIN_VALUE, Long.MAX_VALUE, null)));
    cases.add(
        new Case(
            "uint8",
            nullable("c", new ArrowType.Int(8, false)),
            v -> {
              UInt1Vector x = (UInt1Vector) v;
              x.setSafe(0, 255);
              x.setSafe(1, 0);
              x.setNull(2);
            },
            values((short) 255, (short) 0, null)));
    cases.add(
        new Case(
            "uint16",
            nullable("c", new ArrowType.Int(16, false)),
            v -> {
              UInt2Vector x = (UInt2Vector) v;
              x.setSafe(0, 65535);
              x.setNull(1);
              x.setSafe(2, 1);
            },
            values(65535, null, 1)));
    cases.add(
        new Case(
            "uint32",
            nullable("c", new ArrowType.Int(32, false)),
            v -> {
              UInt4Vector x = (UInt4Vector) v;
              x.setSafe(0, -1); // 2^32 - 1
              x.setSafe(1, 7);
              x.setNull(2);
            },
            values(4294967295L, 7L, null)));
    cases.add(
        new Case(
            "uint64",
            nullable("c", new ArrowType.Int(64, false)),
            v -> {
              UInt8Vector x = (UInt8Vector) v;
              x.setSafe(0, -1L); // 2^64 - 1
              x.setSafe(1, Long.MAX_VALUE);
              x.setSafe(2, Long.MIN_VALUE); // 2^63
              x.setSafe(3, 0L);
              x.setNull(4);
            },
            values(
                new BigDecimal("18446744073709551615"),
                new BigDecimal("9223372036854775807"),
                new BigDecimal("9223372036854775808"),
                BigDecimal.ZERO,
                null)));
    cases.add(
        new Case(
            "float16",
            nullable("c", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)),
            v -> {
              Float2Vector x = (Float2Vector) v;
              x.setSafeWithPossibleTruncate(0, 1.5f);
              x.setSafeWithPossibleTruncate(1, -0.25f);
              x.setNull(2);
            },
            values(1.5f, -0.25f, null)));
    cases.add(
        new Case(
            "float32",
            nullable("c", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
            v -> {
              Float4Vector x = (Float4Vector) v;
              x.setSafe(0, Float.MAX_VALUE);
              x.setSafe(1, -0.0f);
              x.setSafe(2, Float.NaN);
              x.setNull(3);
            },
            values(Float.MAX_VALUE, -0.0f, Float.NaN, null)));
    cases.add(
        new Case(
            "float64",
            nullable("c", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
            v -> {
              Float8Vector x = (Float8Vector) v;
              x.setSafe(0, Double.MIN_VALUE);
              x.setSafe(1, -1e300);
              x.setNull(2);
            },
            values(Double.MIN_VALUE, -1e300, null)));
    cases.add(
        new Case(
            "bool",
            nullable("c", ArrowType.Bool.INSTANCE),
            v -> {
              BitVector x = (BitVector) v;
              x.setSafe(0, 1);
              x.setSafe(1, 0);
              x.setNull(2);
            },
            values(true, false, null)));
    cases.add(
        new Case(
            "utf8",
            nullable("c", ArrowType.Utf8.INSTANCE),
            v -> {
              VarCharVector x = (VarCharVector) v;
              x.setSafe(0, utf8("héllo ✓ 🎉"));
              x.setSafe(1, utf8(""));
              x.setNull(2);
              x.setSafe(3, utf8("x".repeat(1000)));
            },
            values("héllo ✓ 🎉", "", null, "x".repeat(1000))));
    cases.add(
        new Case(
            "large_utf8",
            nullable("c", ArrowType.LargeUtf8.INSTANCE),
            v -> {
              LargeVarCharVector x = (LargeVarCharVector) v;
              x.setNull(0);
              x.setSafe(1, utf8("große"));
              x.setSafe(2, utf8(""));
            },
            values(null, "große", "")));
    cases.add(
        new Case(
            "binary",
            nullable("c", ArrowType.Binary.INSTANCE),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(0, new byte[] {0, -1, 127});
              x.setNull(1);
              x.setSafe(2, new byte[0]);
            },
            values(new byte[] {0, -1, 127}, null, new byte[0])));
    cases.add(
        new Case(
            "large_binary",
            nullable("c", ArrowType.LargeBinary.INSTANCE),
            v -> {
              LargeVarBinaryVector x = (LargeVarBinaryVector) v;
              x.setSafe(0, new byte[] {1, 2});
              x.setNull(1);
            },
            values(new byte[] {1, 2}, null)));
    cases.add(
        new Case(
            "fixed_size_binary",
            nullable("c", new ArrowType.FixedSizeBinary(4)),
            v -> {
              FixedSizeBinaryVector x = (FixedSizeBinaryVector) v;
              x.setSafe(0, new byte[] {1, 2, 3, 4});
              x.setNull(1);
            },
            values(new byte[] {1, 2, 3, 4}, null)));
    cases.add(
        new Case(
            "date32",
            nullable("c", new ArrowType.Date(DateUnit.DAY)),
            v -> {
              DateDayVector x = (DateDayVector) v;
              x.setSafe(0, 19471);
              x.setSafe(1, -1);
              x.setNull(2);
            },
            values(date(19471L * 86_400_000L), date(-86_400_000L), null)));
    cases.add(
        new Case(
            "date64",
            nullable("c", new ArrowType.Date(DateUnit.MILLISECOND)),
            v -> {
              DateMilliVector x = (DateMilliVector) v;
              x.setSafe(0, 19500L * 86_400_000L);
              x.setNull(1);
            },
            values(date(19500L * 86_400_000L), null)));
    cases.add(
        new Case(
            "time32[s]",
            nullable("c", new ArrowType.Time(TimeUnit.SECOND, 32)),
            v -> {
              TimeSecVector x = (TimeSecVector) v;
              x.setSafe(0, 86399);
              x.setNull(1);
            },
            values(date(86_399_000L), null)));
    cases.add(
        new Case(
            "time32[ms]",
            nullable("c", new ArrowType.Time(TimeUnit.MILLISECOND, 32)),
            v -> {
              TimeMilliVector x = (TimeMilliVector) v;
              x.setSafe(0, 45_296_789);
              x.setNull(1);
            },
            values(date(45_296_789L), null)));
    cases.add(
        new Case(
            "time64[us]",
            nullable("c", new ArrowType.Time(TimeUnit.MICROSECOND, 64)),
            v -> {
              TimeMicroVector x = (TimeMicroVector) v;
              x.setSafe(0, 45_296_789_123L);
              x.setNull(1);
            },
            values(45_296_789_123L, null)));
    cases.add(
        new Case(
            "time64[ns]",
            nullable("c", new ArrowType.Time(TimeUnit.NANOSECOND, 64)),
            v -> {
              TimeNanoVector x = (TimeNanoVector) v;
              x.setSafe(0, 86_399_999_999_999L);
              x.setNull(1);
            },
            values(86_399_999_999_999L, null)));
    for (TimeUnit unit : TimeUnit.values()) {
      long perMilli =
          unit == TimeUnit.SECOND
              ? 0
              : unit == TimeUnit.MILLISECOND ? 1 : unit == TimeUnit.MICROSECOND ? 1000 : 1_000_000;
      long millis = unit == TimeUnit.SECOND ? 1_700_000_000_000L : 1_700_000_000_123L;
      long raw = unit == TimeUnit.SECOND ? millis / 1000 : millis * perMilli;
      long before1970 = unit == TimeUnit.SECOND ? -1 : -5 * perMilli;
      long before1970Millis = unit == TimeUnit.SECOND ? -1000 : -5;
      for (String zone : new String[] {"UTC", null, "America/New_York"}) {
        cases.add(
            new Case(
                "timestamp[" + unit + ", " + zone + "]",
                nullable("c", new ArrowType.Timestamp(unit, zone)),
                v -> {
                  TimeStampVector x = (TimeStampVector) v;
                  x.setSafe(0, raw);
                  x.setNull(1);
                  x.setSafe(2, before1970);
                },
                values(date(millis), null, date(before1970Millis))));
      }
    }
    for (TimeUnit unit : TimeUnit.values()) {
      cases.add(
          new Case(
              "duration[" + unit + "]",
              nullable("c", new ArrowType.Duration(unit)),
              v -> {
                DurationVector x = (DurationVector) v;
                x.setSafe(0, 9_999_999L);
                x.setSafe(1, -3L);
                x.setNull(2);
              },
              values(9_999_999L, -3L, null)));
    }
    cases.add(
        new Case(
            "interval[month]",
            nullable("c", new ArrowType.Interval(IntervalUnit.YEAR_MONTH)),
            v -> {
              IntervalYearVector x = (IntervalYearVector) v;
              x.setSafe(0, 14);
              x.setNull(1);
            },
            values(14, null)));
    cases.add(
        new Case(
            "interval[day_time]",
            nullable("c", new ArrowType.Interval(IntervalUnit.DAY_TIME)),
            v -> {
              IntervalDayVector x = (IntervalDayVector) v;
              x.setSafe(0, 3, 4000);
              x.setNull(1);
            },
            null));
    cases.add(
        new Case(
            "interval[month_day_nano]",
            nullable("c", new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO)),
            v -> {
              IntervalMonthDayNanoVector x = (IntervalMonthDayNanoVector) v;
              x.setSafe(0, 1, 2, 3_000_000_000_000L);
              x.setNull(1);
              x.setSafe(2, -1, -2, -3L);
            },
            null));
    cases.add(
        new Case(
            "decimal128(19,10)",
            nullable("c", new ArrowType.Decimal(19, 10, 128)),
            v -> {
              DecimalVector x = (DecimalVector) v;
              x.setSafe(0, new BigDecimal("-123456789.0123456789"));
              x.setSafe(1, new BigDecimal("0.0000000001"));
              x.setNull(2);
            },
            values(new BigDecimal("-123456789.0123456789"), new BigDecimal("0.0000000001"), null)));
    cases.add(
        new Case(
            "decimal256(40,10)",
            nullable("c", new ArrowType.Decimal(40, 10, 256)),
            v -> {
              Decimal256Vector x = (Decimal256Vector) v;
              x.setSafe(0, new BigDecimal("-123456789012345678901234567890.0123456789"));
              x.setNull(1);
            },
            values(new BigDecimal("-123456789012345678901234567890.0123456789"), null)));
    byte[] uuid = {
      0x12,
      0x3e,
      0x45,
      0x67,
      (byte) 0xe8,
      (byte) 0x9b,
      0x12,
      (byte) 0xd3,
      (byte) 0xa4,
      0x56,
      0x42,
      0x66,
      0x14,
      0x17,
      0x40,
      0x00
    };
    cases.add(
        new Case(
            "uuid",
            extension("c", new ArrowType.FixedSizeBinary(16), "uuid", "uuid-serialized"),
            v -> {
              FixedSizeBinaryVector x = (FixedSizeBinaryVector) v;
              x.setSafe(0, uuid);
              x.setNull(1);
              x.setSafe(2, new byte[16]);
            },
            values(
                "123e4567-e89b-12d3-a456-426614174000",
                null,
                "00000000-0000-0000-0000-000000000000")));
    cases.add(
        new Case(
            "json",
            extension("c", ArrowType.Binary.INSTANCE, "json", "json-serialized"),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(0, utf8("{\"test\":[\"a\",\"b\",3]}"));
              x.setNull(1);
              x.setSafe(2, utf8("null"));
            },
            values("{\"test\":[\"a\",\"b\",3]}", null, "null")));
    cases.add(
        new Case(
            "inet",
            extension("c", ArrowType.Binary.INSTANCE, "inet", "inet-serialized"),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(0, utf8("10.0.0.0/8"));
              x.setSafe(1, utf8("2001:db8::/32"));
              x.setNull(2);
            },
            values("10.0.0.0/8", "2001:db8::/32", null)));
    cases.add(
        new Case(
            "mac",
            extension("c", ArrowType.Binary.INSTANCE, "mac", "mac-serialized"),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(
                  0, new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc, 0x0d, 0x0e, (byte) 0xff});
              x.setNull(1);
              x.setSafe(2, new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
            },
            values("aa:bb:cc:0d:0e:ff", null, "00:01:02:03:04:05:06:07")));
    cases.addAll(nestedCases());
    return cases.stream();
  }

  private static List<Case> nestedCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "list<int64>",
            nullable("c", ArrowType.List.INSTANCE, nullable("item", new ArrowType.Int(64, true))),
            v -> {
              ListVector x = (ListVector) v;
              BigIntVector data = (BigIntVector) x.getDataVector();
              int start = x.startNewValue(0);
              data.setSafe(start, 1);
              data.setNull(start + 1);
              data.setSafe(start + 2, -3);
              x.endValue(0, 3);
              x.setNull(1);
              x.startNewValue(2);
              x.endValue(2, 0);
            },
            values(Arrays.asList(1L, null, -3L), null, List.of())));
    cases.add(
        new Case(
            "large_list<utf8>",
            nullable("c", ArrowType.LargeList.INSTANCE, nullable("item", ArrowType.Utf8.INSTANCE)),
            v -> {
              LargeListVector x = (LargeListVector) v;
              VarCharVector data = (VarCharVector) x.getDataVector();
              long start = x.startNewValue(0);
              data.setSafe((int) start, utf8("a"));
              data.setSafe((int) start + 1, utf8("bc"));
              x.endValue(0, 2);
              x.setNull(1);
            },
            values(List.of("a", "bc"), null)));
    cases.add(
        new Case(
            "fixed_size_list[2]<int32>",
            nullable(
                "c", new ArrowType.FixedSizeList(2), nullable("item", new ArrowType.Int(32, true))),
            v -> {
              FixedSizeListVector x = (FixedSizeListVector) v;
              IntVector data = (IntVector) x.getDataVector();
              int start = x.startNewValue(0);
              data.setSafe(start, 5);
              data.setNull(start + 1);
              x.setNull(1);
              start = x.startNewValue(2);
              data.setSafe(start, 7);
              data.setSafe(start + 1, 8);
            },
            values(Arrays.asList(5, null), null, List.of(7, 8))));
    Field structField =
        nullable(
            "c",
            ArrowType.Struct.INSTANCE,
            nullable("id", new ArrowType.Int(64, true)),
            nullable("name", ArrowType.Utf8.INSTANCE),
            extension("uid", new ArrowType.FixedSizeBinary(16), "uuid", "uuid-serialized"));
    cases.add(
        new Case(
            "list<struct>",
            nullable(
                "c",
                ArrowType.List.INSTANCE,
                new Field(
                    "item",
                    FieldType.nullable(ArrowType.Struct.INSTANCE),
                    structField.getChildren())),
            v -> {
              ListVector x = (ListVector) v;
              StructVector data = (StructVector) x.getDataVector();
              BigIntVector id = (BigIntVector) data.getChildByOrdinal(0);
              VarCharVector name = (VarCharVector) data.getChildByOrdinal(1);
              FixedSizeBinaryVector uid = (FixedSizeBinaryVector) data.getChildByOrdinal(2);
              int start = x.startNewValue(0);
              data.setIndexDefined(start);
              id.setSafe(start, 1);
              name.setSafe(start, utf8("one"));
              uid.setNull(start);
              data.setNull(start + 1);
              id.setNull(start + 1);
              name.setNull(start + 1);
              uid.setNull(start + 1);
              data.setIndexDefined(start + 2);
              id.setNull(start + 2);
              name.setSafe(start + 2, utf8("three"));
              uid.setSafe(start + 2, new byte[16]);
              x.endValue(0, 3);
              x.setNull(1);
            },
            null));
    cases.add(
        new Case(
            "struct",
            structField,
            v -> {
              StructVector x = (StructVector) v;
              x.setIndexDefined(0);
              ((BigIntVector) x.getChildByOrdinal(0)).setSafe(0, 42);
              ((VarCharVector) x.getChildByOrdinal(1)).setNull(0);
              ((FixedSizeBinaryVector) x.getChildByOrdinal(2)).setSafe(0, new byte[16]);
              x.setNull(1);
              ((BigIntVector) x.getChildByOrdinal(0)).setNull(1);
              ((VarCharVector) x.getChildByOrdinal(1)).setNull(1);
              ((FixedSizeBinaryVector) x.getChildByOrdinal(2)).setNull(1);
            },
            null));
    cases.add(
        new Case(
            "map<utf8,int64>",
            mapField("c", ArrowType.Utf8.INSTANCE, new ArrowType.Int(64, true)),
            v -> {
              MapVector x = (MapVector) v;
              StructVector entries = (StructVector) x.getDataVector();
              VarCharVector keys = (VarCharVector) entries.getChildByOrdinal(0);
              BigIntVector values = (BigIntVector) entries.getChildByOrdinal(1);
              int start = x.startNewValue(0);
              entries.setIndexDefined(start);
              keys.setSafe(start, utf8("a"));
              values.setSafe(start, 1);
              entries.setIndexDefined(start + 1);
              keys.setSafe(start + 1, utf8("b"));
              values.setNull(start + 1);
              x.endValue(0, 2);
              x.setNull(1);
              x.startNewValue(2);
              x.endValue(2, 0);
            },
            values(linkedMap("a", 1L, "b", null), null, Map.of())));
    cases.add(
        new Case(
            "map<int64,list<utf8>>",
            new Field(
                "c",
                FieldType.nullable(new ArrowType.Map(false)),
                List.of(
                    new Field(
                        "entries",
                        FieldType.notNullable(ArrowType.Struct.INSTANCE),
                        List.of(
                            new Field(
                                "key", FieldType.notNullable(new ArrowType.Int(64, true)), null),
                            nullable(
                                "value",
                                ArrowType.List.INSTANCE,
                                nullable("item", ArrowType.Utf8.INSTANCE)))))),
            v -> {
              MapVector x = (MapVector) v;
              StructVector entries = (StructVector) x.getDataVector();
              BigIntVector keys = (BigIntVector) entries.getChildByOrdinal(0);
              ListVector values = (ListVector) entries.getChildByOrdinal(1);
              VarCharVector strings = (VarCharVector) values.getDataVector();
              int start = x.startNewValue(0);
              entries.setIndexDefined(start);
              keys.setSafe(start, 7);
              int s = values.startNewValue(start);
              strings.setSafe(s, utf8("x"));
              values.endValue(start, 1);
              entries.setIndexDefined(start + 1);
              keys.setSafe(start + 1, -7);
              values.setNull(start + 1);
              x.endValue(0, 2);
            },
            values(linkedMap(7L, List.of("x"), -7L, null))));
    return cases;
  }

  private static Field mapField(String name, ArrowType key, ArrowType value) {
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

  private static Map<Object, Object> linkedMap(Object k1, Object v1, Object k2, Object v2) {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldRoundTripValuesAndSchemaWhenConvertingArrowToConnectAndBack(Case c) {
    Field id =
        new Field(
            "id",
            new FieldType(
                false,
                new ArrowType.Int(64, true),
                null,
                Map.of(CqMetadata.PRIMARY_KEY, "true", CqMetadata.UNIQUE, "false")),
            null);
    Schema schema = new Schema(List.of(id, c.field()), Map.of(CqMetadata.TABLE_NAME, "types"));
    try (VectorSchemaRoot original = VectorSchemaRoot.create(schema, allocator)) {
      original.allocateNew();
      c.fill().accept(original.getVector(1));
      int rows = c.expected() != null ? c.expected().size() : 3;
      for (int r = 0; r < rows; r++) {
        ((BigIntVector) original.getVector(0)).setSafe(r, r);
      }
      original.setRowCount(rows);
      ByteString bytes = ArrowIpc.recordToBytes(original);

      try (VectorSchemaRoot decoded = ArrowIpc.recordFromBytes(bytes, allocator)) {
        CqTable table = CqTable.fromSchema(decoded.getSchema());
        ArrowToConnect fast = new ArrowToConnect(table);
        ArrowToConnect validating = new ArrowToConnect(table, false, Structs.VALIDATING);
        List<Struct> values = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
          Struct value = fast.value(decoded, r);
          value.validate();
          assertThat(value).isEqualTo(validating.value(decoded, r));
          assertThat(fast.key(decoded, r).getInt64("id")).isEqualTo((long) r);
          if (c.expected() != null) {
            assertThat(value.get("c")).as("row %d", r).isEqualTo(c.expected().get(r));
          }
          values.add(value);
        }

        ConnectToArrow back = new ConnectToArrow();
        Schema backSchema = back.arrowSchema("types", fast.valueSchema(), Set.of("id"));
        assertThat(backSchema).isEqualTo(schema);
        try (VectorSchemaRoot rebuilt = back.toArrow(backSchema, values, allocator)) {
          assertThat(rebuilt.getRowCount()).isEqualTo(rows);
          assertThat(VectorEqualsVisitor.vectorEquals(original.getVector(1), rebuilt.getVector(1)))
              .as(
                  "original %s rebuilt %s",
                  original.contentToTSVString(), rebuilt.contentToTSVString())
              .isTrue();
          ByteString again = ArrowIpc.recordToBytes(rebuilt);
          assertThat(ArrowIpc.schemaFromBytes(again)).isEqualTo(schema);
        }
      }
    }
  }
}
