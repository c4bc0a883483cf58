package io.cqconnect.config;

/** The {@code --log-level} a launched plugin is started with. */
public enum LogLevel implements ConfigEnum {
  /** Most verbose. */
  TRACE("trace"),
  /** Debugging detail. */
  DEBUG("debug"),
  /** The CLI default. */
  INFO("info"),
  /** Warnings and errors only. */
  WARN("warn"),
  /** Errors only. */
  ERROR("error");

  private final String value;

  LogLevel(String value) {
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
  public static LogLevel fromString(String value) {
    return EnumConfigs.parse(LogLevel.class, "plugin log level", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
