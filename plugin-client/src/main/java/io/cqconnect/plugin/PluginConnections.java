package io.cqconnect.plugin;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The one way a plugin is opened from its {@link PluginSettings}: launch the binary or dial the
 * address, wait until it answers, then (for {@link #open}) {@code Init} it.
 */
public final class PluginConnections {

  private PluginConnections() {}

  /** Launches or dials the plugin and waits until it answers, without {@code Init}. */
  public static PluginConnection connect(PluginSettings settings, String name) {
    if (settings.binary().isPresent()) {
      return PluginConnection.launch(settings.launchSpec(name));
    }
    return PluginConnection.dial(
        settings.address().orElseThrow(),
        settings.startTimeout(),
        settings.callTimeout(),
        settings.maxMessageBytes());
  }

  /**
   * Connects and initialises with the settings' spec; on failure nothing is left running.
   *
   * @param noConnection tell the plugin not to contact its backend (for {@code GetTables} only)
   */
  public static PluginConnection open(PluginSettings settings, String name, boolean noConnection) {
    PluginConnection connection = connect(settings, name);
    try {
      connection
          .client()
          .init(
              settings.spec().getBytes(StandardCharsets.UTF_8),
              noConnection,
              UUID.randomUUID().toString());
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }
}
