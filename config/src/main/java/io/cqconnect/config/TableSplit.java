package io.cqconnect.config;

/** How a source connector spreads work over tasks when {@code tasks.max} is above 1. */
public enum TableSplit implements ConfigEnum {
  /** Top-level tables (with their children) are divided between tasks. */
  TABLE("table"),
  /** Every task syncs all tables with the protocol's {@code shard {num, total}}. */
  SHARD("shard");

  private final String value;

  TableSplit(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  /**
   * Parses the CloudQuery spelling.
   *
   * @throws IllegalArgumentException listing the valid values
   */
  public static TableSplit fromString(String value) {
    return EnumConfigs.parse(TableSplit.class, "table split", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
