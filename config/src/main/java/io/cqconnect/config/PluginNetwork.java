package io.cqconnect.config;

/** How a launched plugin listens: a unix domain socket or loopback TCP. */
public enum PluginNetwork implements ConfigEnum {
  /** A unix domain socket in a temporary directory, as the CloudQuery CLI does. */
  UNIX("unix"),
  /** A free loopback TCP port; any SDK, but the port is found before the plugin binds it. */
  TCP("tcp"),
  /**
   * A unix socket in a private temporary directory, given as gRPC's {@code unix:<path>} address
   * with {@code --network tcp}: the JavaScript and Python SDKs.
   */
  GRPC_UNIX("grpc-unix");

  private final String value;

  PluginNetwork(String value) {
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
  public static PluginNetwork fromString(String value) {
    return EnumConfigs.parse(PluginNetwork.class, "plugin network", value);
  }

  @Override
  public String toString() {
    return value;
  }
}
