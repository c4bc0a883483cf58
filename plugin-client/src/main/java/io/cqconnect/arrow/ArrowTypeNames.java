package io.cqconnect.arrow;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Text names of Arrow types for the {@link SchemaParameters#ARROW_TYPE} parameter, spelled like the
 * Go Arrow library prints them (the names CloudQuery users see), and their parsing.
 */
final class ArrowTypeNames {

  private static final Pattern BRACKETED = Pattern.compile("([a-z0-9_]+)\\[([^\\]]*)\\]");
  private static final Pattern DECIMAL =
      Pattern.compile("(decimal|decimal128|decimal256)\\((\\d+), ?(-?\\d+)\\)");

  private ArrowTypeNames() {}

  static String unit(TimeUnit unit) {
    switch (unit) {
      case SECOND:
        return "s";
      case MILLISECOND:
        return "ms";
      case MICROSECOND:
        return "us";
      case NANOSECOND:
        return "ns";
      default:
        throw new IllegalArgumentException("unknown time unit " + unit);
    }
  }

  static TimeUnit unit(String unit) {
    switch (unit) {
      case "s":
        return TimeUnit.SECOND;
      case "ms":
        return TimeUnit.MILLISECOND;
      case "us":
        return TimeUnit.MICROSECOND;
      case "ns":
        return TimeUnit.NANOSECOND;
      default:
        throw new IllegalArgumentException("unknown time unit '" + unit + "'");
    }
  }

  static String timestamp(ArrowType.Timestamp type) {
    String zone = type.getTimezone();
    return "timestamp["
        + unit(type.getUnit())
        + (zone == null || zone.isEmpty() ? "" : ", tz=" + zone)
        + "]";
  }

  static String time(ArrowType.Time type) {
    return "time" + type.getBitWidth() + "[" + unit(type.getUnit()) + "]";
  }

  static String duration(ArrowType.Duration type) {
    return "duration[" + unit(type.getUnit()) + "]";
  }

  static String interval(ArrowType.Interval type) {
    switch (type.getUnit()) {
      case YEAR_MONTH:
        return "month_interval";
      case DAY_TIME:
        return "day_time_interval";
      case MONTH_DAY_NANO:
        return "month_day_nano_interval";
      default:
        throw new IllegalArgumentException("unknown interval unit " + type.getUnit());
    }
  }

  static String decimal(ArrowType.Decimal type) {
    return "decimal"
        + type.getBitWidth()
        + "("
        + type.getPrecision()
        + ", "
        + type.getScale()
        + ")";
  }

  /**
   * Parses a type name written by this class; container names ({@code large_list}, {@code
   * fixed_size_list[n]}, {@code map[keys_sorted]}) parse to a type without children.
   *
   * @throws IllegalArgumentException if the name is not one this class writes
   */
  static ArrowType parse(String name) {
    String text = name.trim().toLowerCase(Locale.ROOT);
    switch (text) {
      case "uint8":
        return new ArrowType.Int(8, false);
      case "uint16":
        return new ArrowType.Int(16, false);
      case "uint32":
        return new ArrowType.Int(32, false);
      case "uint64":
        return new ArrowType.Int(64, false);
      case "int8":
        return new ArrowType.Int(8, true);
      case "int16":
        return new ArrowType.Int(16, true);
      case "int32":
        return new ArrowType.Int(32, true);
      case "int64":
        return new ArrowType.Int(64, true);
      case "float16":
        return new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
      case "float32":
        return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case "float64":
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "utf8":
        return ArrowType.Utf8.INSTANCE;
      case "large_utf8":
        return ArrowType.LargeUtf8.INSTANCE;
      case "binary":
        return ArrowType.Binary.INSTANCE;
      case "large_binary":
        return ArrowType.LargeBinary.INSTANCE;
      case "date32":
        return new ArrowType.Date(DateUnit.DAY);
      case "date64":
        return new ArrowType.Date(DateUnit.MILLISECOND);
      case "month_interval":
        return new ArrowType.Interval(IntervalUnit.YEAR_MONTH);
      case "day_time_interval":
        return new ArrowType.Interval(IntervalUnit.DAY_TIME);
      case "month_day_nano_interval":
        return new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO);
      case "list":
        return ArrowType.List.INSTANCE;
      case "large_list":
        return ArrowType.LargeList.INSTANCE;
      case "map":
        return new ArrowType.Map(false);
      default:
        break;
    }
    Matcher decimal = DECIMAL.matcher(text);
    if (decimal.matches()) {
      int bits = decimal.group(1).equals("decimal256") ? 256 : 128;
      return new ArrowType.Decimal(
          Integer.parseInt(decimal.group(2)), Integer.parseInt(decimal.group(3)), bits);
    }
    Matcher bracketed = BRACKETED.matcher(name.trim());
    if (bracketed.matches()) {
      String base = bracketed.group(1).toLowerCase(Locale.ROOT);
      String arg = bracketed.group(2).trim();
      switch (base) {
        case "timestamp":
          return parseTimestamp(arg);
        case "time32":
          return new ArrowType.Time(unit(arg), 32);
        case "time64":
          return new ArrowType.Time(unit(arg), 64);
        case "duration":
          return new ArrowType.Duration(unit(arg));
        case "fixed_size_binary":
          return new ArrowType.FixedSizeBinary(Integer.parseInt(arg));
        case "fixed_size_list":
          return new ArrowType.FixedSizeList(Integer.parseInt(arg));
        case "map":
          if (arg.equals("keys_sorted")) {
            return new ArrowType.Map(true);
          }
          break;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("unknown Arrow type name '" + name + "'");
  }

  private static ArrowType parseTimestamp(String arg) {
    int comma = arg.indexOf(',');
    if (comma < 0) {
      return new ArrowType.Timestamp(unit(arg), null);
    }
    String zone = arg.substring(comma + 1).trim();
    if (zone.startsWith("tz=")) {
      zone = zone.substring(3);
    }
    return new ArrowType.Timestamp(unit(arg.substring(0, comma).trim()), zone);
  }
}
