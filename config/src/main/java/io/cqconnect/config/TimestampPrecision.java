package io.cqconnect.config;

/** How a source connector maps Arrow timestamps to Kafka Connect, spelled as a word. */
public enum TimestampPrecision implements ConfigEnum {
  /**
   * Connect's {@code Timestamp} logical type: milliseconds since the epoch, so digits below the
   * millisecond are dropped.
   */
  MILLISECONDS("milliseconds"),
  /**
   * An INT64 counting the Arrow column's own unit (seconds to nanoseconds) since the epoch, named
   * {@code io.cqconnect.data.Timestamp}: every digit kept, but not a Connect {@code Timestamp}.
   */
  EXACT("exact");

  private final String value;

  TimestampPrecision(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  /**
   * Parses the configuration spelling.
   *
   * @throws IllegalArgumentException listing the valid values
   */
  public static TimestampPrecision fromString(String value) {
    return EnumConfigs.parse(TimestampPrecision.class, "timestamp precision", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
