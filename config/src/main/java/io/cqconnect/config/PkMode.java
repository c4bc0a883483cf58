package io.cqconnect.config;

/**
 * Which columns form the primary key at the destination, spelled as CloudQuery's {@code pk_mode}.
 */
public enum PkMode implements ConfigEnum {
  /** The primary keys the source declared. */
  DEFAULT("default"),
  /** Only {@code _cq_id}. */
  CQ_ID_ONLY("cq-id-only");

  private final String value;

  PkMode(String value) {
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
  public static PkMode fromString(String value) {
    return EnumConfigs.parse(PkMode.class, "pk mode", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
