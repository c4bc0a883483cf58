package io.cqconnect.arrow;

/** How Arrow timestamps map to Kafka Connect (the source's {@code timestamp.precision}). */
public enum TimestampMapping {
  /**
   * Connect's {@code Timestamp} logical type: milliseconds since the epoch, so digits below the
   * millisecond are dropped.
   */
  MILLISECONDS,
  /**
   * An INT64 counting the Arrow column's own unit (seconds to nanoseconds) since the epoch, named
   * {@code io.cqconnect.data.Timestamp}: every digit kept, but not a Connect {@code Timestamp}.
   */
  EXACT
}
