package io.cqconnect.state;

import java.util.Objects;

/**
 * One row of a CloudQuery state table: an opaque key chosen by the plugin, its opaque value, and a
 * version that grows by one each time the plugin changes the value.
 *
 * <p>The version is CloudQuery's {@code uint64}: it is held in a {@code long} and must be compared
 * and printed as unsigned ({@link #compareVersionTo(StateRow)}, {@link #versionString()}). A stored
 * row without a version (in a table of an SDK before v4.67) reads as version 0; a row such an SDK
 * writes now is numbered by {@link StateRows#asNewest}.
 *
 * @param key the state key, never null
 * @param value the state value, may be null when the backend holds a null
 * @param version the unsigned 64-bit version
 */
public record StateRow(String key, String value, long version) {

  /** Checks that the key is present. */
  public StateRow {
    Objects.requireNonNull(key, "state row key");
  }

  /** A row whose version may be missing (null), as in tables written by old SDKs: null is 0. */
  public static StateRow of(String key, String value, Long version) {
    return new StateRow(key, value, version == null ? 0L : version);
  }

  /** Compares the versions of two rows as unsigned 64-bit numbers. */
  public int compareVersionTo(StateRow other) {
    return Long.compareUnsigned(version, other.version);
  }

  /** The version as an unsigned decimal string. */
  public String versionString() {
    return Long.toUnsignedString(version);
  }

  @Override
  public String toString() {
    return "StateRow[key=" + key + ", value=" + value + ", version=" + versionString() + "]";
  }
}
