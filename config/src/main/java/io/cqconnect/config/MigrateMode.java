package io.cqconnect.config;

/** How a destination may change a table schema, spelled as CloudQuery's {@code migrate_mode}. */
public enum MigrateMode implements ConfigEnum {
  /** Only safe schema changes; an unsafe change fails the write. */
  SAFE("safe"),
  /** Unsafe schema changes drop and recreate the table (its data is lost). */
  FORCED("forced");

  private final String value;

  MigrateMode(String value) {
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
  public static MigrateMode fromString(String value) {
    return EnumConfigs.parse(MigrateMode.class, "migrate mode", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
