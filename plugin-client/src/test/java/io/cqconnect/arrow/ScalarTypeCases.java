package io.cqconnect.arrow;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Cases for numbers, text, binary, decimals and the CloudQuery extensions. */
final class ScalarTypeCases {

  private ScalarTypeCases() {}

  static List<TypeCases.TypeCase> scalar() {
    List<TypeCases.TypeCase> cases = new ArrayList<>();
    cases.add(
        new TypeCases.TypeCase(
            "int8",
            TypeCases.nullable("c", new ArrowType.Int(8, true)),
            v -> {
              TinyIntVector x = (TinyIntVector) v;
              x.setSafe(0, Byte.MIN_VALUE);
              x.setSafe(1, Byte.MAX_VALUE);
              x.setNull(2);
            },
            TypeCases.values((byte) -128, (byte) 127, null)));
    cases.add(
        new TypeCases.TypeCase(
            "int16",
            TypeCases.nullable("c", new ArrowType.Int(16, true)),
            v -> {
              SmallIntVector x = (SmallIntVector) v;
              x.setSafe(0, Short.MIN_VALUE);
              x.setNull(1);
              x.setSafe(2, Short.MAX_VALUE);
            },
            TypeCases.values(Short.MIN_VALUE, null, Short.MAX_VALUE)));
    cases.add(
        new TypeCases.TypeCase(
            "int32",
            TypeCases.nullable("c", new ArrowType.Int(32, true)),
            v -> {
              IntVector x = (IntVector) v;
              x.setSafe(0, Integer.MIN_VALUE);
              x.setSafe(1, Integer.MAX_VALUE);
              x.setNull(2);
            },
            TypeCases.values(Integer.MIN_VALUE, Integer.MAX_VALUE, null)));
    cases.add(
        new TypeCases.TypeCase(
            "int64",
            TypeCases.nullable("c", new ArrowType.Int(64, true)),
            v -> {
              BigIntVector x = (BigIntVector) v;
              x.setSafe(0, Long.MIN_VALUE);
              x.setSafe(1, Long.MAX_VALUE);
              x.setNull(2);
            },
            TypeCases.values(Long.MIN_VALUE, Long.MAX_VALUE, null)));
    cases.add(
        new TypeCases.TypeCase(
            "uint8",
            TypeCases.nullable("c", new ArrowType.Int(8, false)),
            v -> {
              UInt1Vector x = (UInt1Vector) v;
              x.setSafe(0, 255);
              x.setSafe(1, 0);
              x.setNull(2);
            },
            TypeCases.values((short) 255, (short) 0, null)));
    cases.add(
        new TypeCases.TypeCase(
            "uint16",
            TypeCases.nullable("c", new ArrowType.Int(16, false)),
            v -> {
              UInt2Vector x = (UInt2Vector) v;
              x.setSafe(0, 65535);
              x.setNull(1);
              x.setSafe(2, 1);
            },
            TypeCases.values(65535, null, 1)));
    cases.add(
        new TypeCases.TypeCase(
            "uint32",
            TypeCases.nullable("c", new ArrowType.Int(32, false)),
            v -> {
              UInt4Vector x = (UInt4Vector) v;
              x.setSafe(0, -1); // 2^32 - 1
              x.setSafe(1, 7);
              x.setNull(2);
            },
            TypeCases.values(4294967295L, 7L, null)));
    cases.add(
        new TypeCases.TypeCase(
            "uint64",
            TypeCases.nullable("c", new ArrowType.Int(64, false)),
            v -> {
              UInt8Vector x = (UInt8Vector) v;
              x.setSafe(0, -1L); // 2^64 - 1
              x.setSafe(1, Long.MAX_VALUE);
              x.setSafe(2, Long.MIN_VALUE); // 2^63
              x.setSafe(3, 0L);
              x.setNull(4);
            },
            TypeCases.values(
                new BigDecimal("18446744073709551615"),
                new BigDecimal("9223372036854775807"),
                new BigDecimal("9223372036854775808"),
                BigDecimal.ZERO,
                null)));
    cases.add(
        new TypeCases.TypeCase(
            "float16",
            TypeCases.nullable("c", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)),
            v -> {
              Float2Vector x = (Float2Vector) v;
              x.setSafeWithPossibleTruncate(0, 1.5f);
              x.setSafeWithPossibleTruncate(1, -0.25f);
              x.setNull(2);
            },
            TypeCases.values(1.5f, -0.25f, null)));
    cases.add(
        new TypeCases.TypeCase(
            "float32",
            TypeCases.nullable("c", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
            v -> {
              Float4Vector x = (Float4Vector) v;
              x.setSafe(0, Float.MAX_VALUE);
              x.setSafe(1, -0.0f);
              x.setSafe(2, Float.NaN);
              x.setNull(3);
            },
            TypeCases.values(Float.MAX_VALUE, -0.0f, Float.NaN, null)));
    cases.add(
        new TypeCases.TypeCase(
            "float64",
            TypeCases.nullable("c", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
            v -> {
              Float8Vector x = (Float8Vector) v;
              x.setSafe(0, Double.MIN_VALUE);
              x.setSafe(1, -1e300);
              x.setNull(2);
            },
            TypeCases.values(Double.MIN_VALUE, -1e300, null)));
    cases.add(
        new TypeCases.TypeCase(
            "bool",
            TypeCases.nullable("c", ArrowType.Bool.INSTANCE),
            v -> {
              BitVector x = (BitVector) v;
              x.setSafe(0, 1);
              x.setSafe(1, 0);
              x.setNull(2);
            },
            TypeCases.values(true, false, null)));
    cases.add(
        new TypeCases.TypeCase(
            "utf8",
            TypeCases.nullable("c", ArrowType.Utf8.INSTANCE),
            v -> {
              VarCharVector x = (VarCharVector) v;
              x.setSafe(0, TypeCases.utf8("héllo ✓ 🎉"));
              x.setSafe(1, TypeCases.utf8(""));
              x.setNull(2);
              x.setSafe(3, TypeCases.utf8("x".repeat(1000)));
            },
            TypeCases.values("héllo ✓ 🎉", "", null, "x".repeat(1000))));
    cases.add(
        new TypeCases.TypeCase(
            "large_utf8",
            TypeCases.nullable("c", ArrowType.LargeUtf8.INSTANCE),
            v -> {
              LargeVarCharVector x = (LargeVarCharVector) v;
              x.setNull(0);
              x.setSafe(1, TypeCases.utf8("große"));
              x.setSafe(2, TypeCases.utf8(""));
            },
            TypeCases.values(null, "große", "")));
    cases.add(
        new TypeCases.TypeCase(
            "binary",
            TypeCases.nullable("c", ArrowType.Binary.INSTANCE),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(0, new byte[] {0, -1, 127});
              x.setNull(1);
              x.setSafe(2, new byte[0]);
            },
            TypeCases.values(new byte[] {0, -1, 127}, null, new byte[0])));
    cases.add(
        new TypeCases.TypeCase(
            "large_binary",
            TypeCases.nullable("c", ArrowType.LargeBinary.INSTANCE),
            v -> {
              LargeVarBinaryVector x = (LargeVarBinaryVector) v;
              x.setSafe(0, new byte[] {1, 2});
              x.setNull(1);
            },
            TypeCases.values(new byte[] {1, 2}, null)));
    cases.add(
        new TypeCases.TypeCase(
            "fixed_size_binary",
            TypeCases.nullable("c", new ArrowType.FixedSizeBinary(4)),
            v -> {
              FixedSizeBinaryVector x = (FixedSizeBinaryVector) v;
              x.setSafe(0, new byte[] {1, 2, 3, 4});
              x.setNull(1);
            },
            TypeCases.values(new byte[] {1, 2, 3, 4}, null)));
    cases.add(
        new TypeCases.TypeCase(
            "decimal128(19,10)",
            TypeCases.nullable("c", new ArrowType.Decimal(19, 10, 128)),
            v -> {
              DecimalVector x = (DecimalVector) v;
              x.setSafe(0, new BigDecimal("-123456789.0123456789"));
              x.setSafe(1, new BigDecimal("0.0000000001"));
              x.setNull(2);
            },
            TypeCases.values(
                new BigDecimal("-123456789.0123456789"), new BigDecimal("0.0000000001"), null)));
    cases.add(
        new TypeCases.TypeCase(
            "decimal256(40,10)",
            TypeCases.nullable("c", new ArrowType.Decimal(40, 10, 256)),
            v -> {
              Decimal256Vector x = (Decimal256Vector) v;
              x.setSafe(0, new BigDecimal("-123456789012345678901234567890.0123456789"));
              x.setNull(1);
            },
            TypeCases.values(new BigDecimal("-123456789012345678901234567890.0123456789"), null)));
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
        new TypeCases.TypeCase(
            "uuid",
            TypeCases.extension("c", new ArrowType.FixedSizeBinary(16), "uuid", "uuid-serialized"),
            v -> {
              FixedSizeBinaryVector x = (FixedSizeBinaryVector) v;
              x.setSafe(0, uuid);
              x.setNull(1);
              x.setSafe(2, new byte[16]);
            },
            TypeCases.values(
                "123e4567-e89b-12d3-a456-426614174000",
                null,
                "00000000-0000-0000-0000-000000000000")));
    cases.add(
        new TypeCases.TypeCase(
            "json",
            TypeCases.extension("c", ArrowType.Binary.INSTANCE, "json", "json-serialized"),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(0, TypeCases.utf8("{\"test\":[\"a\",\"b\",3]}"));
              x.setNull(1);
              x.setSafe(2, TypeCases.utf8("null"));
            },
            TypeCases.values("{\"test\":[\"a\",\"b\",3]}", null, "null")));
    cases.add(
        new TypeCases.TypeCase(
            "inet",
            TypeCases.extension("c", ArrowType.Binary.INSTANCE, "inet", "inet-serialized"),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(0, TypeCases.utf8("10.0.0.0/8"));
              x.setSafe(1, TypeCases.utf8("2001:db8::/32"));
              x.setNull(2);
            },
            TypeCases.values("10.0.0.0/8", "2001:db8::/32", null)));
    cases.add(
        new TypeCases.TypeCase(
            "mac",
            TypeCases.extension("c", ArrowType.Binary.INSTANCE, "mac", "mac-serialized"),
            v -> {
              VarBinaryVector x = (VarBinaryVector) v;
              x.setSafe(
                  0, new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc, 0x0d, 0x0e, (byte) 0xff});
              x.setNull(1);
              x.setSafe(2, new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
            },
            TypeCases.values("aa:bb:cc:0d:0e:ff", null, "00:01:02:03:04:05:06:07")));
    return cases;
  }
}
