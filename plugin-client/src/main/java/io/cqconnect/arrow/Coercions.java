package io.cqconnect.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Checked conversions of Connect values to what Arrow vectors store; each throws {@link
 * IllegalArgumentException} saying why a value does not fit.
 */
final class Coercions {

  private Coercions() {}

  static long unsigned(Object x, long max, String type) {
    long value = ((Number) x).longValue();
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(value + " is out of range for " + type);
    }
    return value;
  }

  static long unsigned64(Object x) {
    BigInteger value;
    if (x instanceof BigDecimal) {
      try {
        value = ((BigDecimal) x).toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(x + " is not an integer, so not a uint64");
      }
    } else {
      value = BigInteger.valueOf(((Number) x).longValue());
    }
    if (value.signum() < 0 || value.bitLength() > 64) {
      throw new IllegalArgumentException(value + " is out of range for uint64");
    }
    return value.longValue();
  }

  static BigDecimal scaled(Object x, int scale) {
    BigDecimal value = (BigDecimal) x;
    if (value.scale() == scale) {
      return value;
    }
    try {
      return value.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "decimal "
              + value.toPlainString()
              + " does not fit scale "
              + scale
              + " without rounding");
    }
  }

  /** A raw count (Number) as is, or a Date's milliseconds times {@code perMilli}. */
  static long count(Object x, long perMilli) {
    if (x instanceof java.util.Date) {
      return Math.multiplyExact(((java.util.Date) x).getTime(), perMilli);
    }
    return ((Number) x).longValue();
  }

  static long millis(Object x) {
    return x instanceof java.util.Date ? ((java.util.Date) x).getTime() : ((Number) x).longValue();
  }

  static byte[] utf8(Object x) {
    return x instanceof byte[] ? (byte[]) x : ((String) x).getBytes(StandardCharsets.UTF_8);
  }

  static ByteBuffer bytes(Object x) {
    return x instanceof byte[] ? ByteBuffer.wrap((byte[]) x) : (ByteBuffer) x;
  }

  static byte[] uuidBytes(Object x) {
    if (x instanceof String) {
      return TextForms.uuidBytes((String) x);
    }
    if (x instanceof UUID) {
      return TextForms.uuidBytes(x.toString());
    }
    byte[] bytes = (byte[]) x;
    if (bytes.length != 16) {
      throw new IllegalArgumentException("a uuid needs 16 bytes, not " + bytes.length);
    }
    return bytes;
  }
}
