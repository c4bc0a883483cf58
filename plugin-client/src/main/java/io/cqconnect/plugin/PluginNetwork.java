package io.cqconnect.plugin;

import java.util.Locale;

/** How a launched plugin listens: a loopback TCP port or a unix domain socket. */
public enum PluginNetwork {
  /** {@code --network tcp --address 127.0.0.1:<free port>}; works for Go, JS and Java plugins. */
  TCP,
  /** {@code --network unix --address <short temp dir>/plugin.sock}; Go plugins only (Linux). */
  UNIX;

  /** The value passed to the plugin's {@code --network} flag. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code tcp} or {@code unix} (any case), naming the allowed values on error. */
  public static PluginNetwork parse(String value) {
    if (value != null) {
      for (PluginNetwork n : values()) {
        if (n.flag().equalsIgnoreCase(value.trim())) {
          return n;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown plugin network '" + value + "': expected 'tcp' or 'unix'");
  }
}
