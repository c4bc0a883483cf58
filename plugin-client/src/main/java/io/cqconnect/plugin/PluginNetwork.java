package io.cqconnect.plugin;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a launched plugin listens: a unix domain socket or a loopback TCP port. */
public enum PluginNetwork {
  /**
   * {@code --network tcp --address 127.0.0.1:<free port>}; works for Go, JS, Python and Java
   * plugins, but the free port is found before the plugin binds it (another process may take it in
   * between), and any local process can dial it.
   */
  TCP("tcp", "tcp"),
  /**
   * {@code --network unix --address <private temp dir>/plugin.sock}, as the CloudQuery CLI launches
   * Go plugins (Linux).
   */
  UNIX("unix", "unix"),
  /**
   * {@code --network tcp --address unix:<private temp dir>/plugin.sock}: a unix socket given in
   * gRPC's own address syntax, for the JavaScript and Python SDKs, which accept only (JS) or ignore
   * (Python) {@code --network tcp} and hand the address to their gRPC server as it is. No port, no
   * race, and only the worker's user can enter the directory.
   */
  GRPC_UNIX("grpc-unix", "tcp");

  private final String value;
  private final String flag;

  PluginNetwork(String value, String flag) {
    this.value = value;
    this.flag = flag;
  }

  /** The configuration spelling: {@code tcp}, {@code unix} or {@code grpc-unix}. */
  public String value() {
    return value;
  }

  /** The value passed to the plugin's {@code --network} flag. */
  public String flag() {
    return flag;
  }

  /** Whether the plugin listens on a unix socket in a private directory. */
  public boolean unixSocket() {
    return this != TCP;
  }

  /** Parses a configuration spelling (any case), naming the allowed values on error. */
  public static PluginNetwork parse(String value) {
    if (value != null) {
      for (PluginNetwork n : values()) {
        if (n.value.equalsIgnoreCase(value.trim())) {
          return n;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown plugin network '"
            + value
            + "': expected one of "
            + Arrays.stream(values())
                .map(n -> "'" + n.value + "'")
                .collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return value.toLowerCase(Locale.ROOT);
  }
}
