package io.cqconnect.config;

/** What one Kafka record of a source table topic carries, spelled as a word. */
public enum RecordFormat implements ConfigEnum {
  /**
   * One record per row: a Connect {@code Struct} value keyed by the primary key; any converter,
   * SMTs and compaction apply.
   */
  ROW("row"),
  /**
   * One record per plugin insert: the plugin's Arrow IPC stream (schema and one record batch) as a
   * bytes value with no key, for {@code ByteArrayConverter}; no per-row conversion on either side.
   */
  ARROW("arrow");

  private final String value;

  RecordFormat(String value) {
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
  public static RecordFormat fromString(String value) {
    return EnumConfigs.parse(RecordFormat.class, "record format", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
