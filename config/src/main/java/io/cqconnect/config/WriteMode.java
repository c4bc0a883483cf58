package io.cqconnect.config;

/** How a sink writes rows, spelled as CloudQuery's destination {@code write_mode}. */
public enum WriteMode implements ConfigEnum {
  /** Insert every row; primary keys are dropped from the schema so nothing is upserted. */
  APPEND("append"),
  /** Upsert on the primary key. */
  OVERWRITE("overwrite"),
  /** Upsert, then delete the rows of this source that an ended sync did not write. */
  OVERWRITE_DELETE_STALE("overwrite-delete-stale");

  private final String value;

  WriteMode(String value) {
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
  public static WriteMode fromString(String value) {
    return EnumConfigs.parse(WriteMode.class, "write mode", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
