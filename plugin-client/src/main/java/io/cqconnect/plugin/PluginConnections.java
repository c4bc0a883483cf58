package io.cqconnect.plugin;

import io.cqconnect.config.PluginConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The one way connectors open the plugin their {@code plugin.*} keys name: launch {@code
 * plugin.path} or dial {@code plugin.address}, wait until it answers, then {@code Init} it.
 */
public final class PluginConnections {

  private PluginConnections() {}

  /** Launches or dials the plugin and waits until it answers, without {@code Init}. */
  public static PluginConnection connect(
      PluginConfig config, String name, Duration startTimeout, Duration callTimeout) {
    if (config.pluginPath().isPresent()) {
      return PluginConnection.launch(
          PluginLaunchSpec.builder(Path.of(config.pluginPath().get()))
              .name(name)
              .network(PluginNetwork.parse(config.pluginNetwork().value()))
              .extraArgs(config.pluginArgs())
              .env(config.pluginEnv())
              .inheritEnv(config.pluginInheritEnv())
              .logLevel(config.pluginLogLevel().value())
              .startTimeout(startTimeout)
              .stopGrace(config.pluginStopGrace())
              .callTimeout(callTimeout)
              .maxMessageBytes(config.grpcMaxMessageBytes())
              .build());
    }
    return PluginConnection.dial(
        config.pluginAddress().orElseThrow(),
        startTimeout,
        callTimeout,
        config.grpcMaxMessageBytes());
  }

  /**
   * Connects and initialises; on failure nothing is left running.
   *
   * @param noConnection tell the plugin not to contact its backend (for {@code GetTables} only)
   */
  public static PluginConnection open(PluginConfig config, String name, boolean noConnection) {
    PluginConnection connection =
        connect(config, name, config.pluginStartTimeout(), config.pluginCallTimeout());
    try {
      connection
          .client()
          .init(
              config.pluginSpec().getBytes(StandardCharsets.UTF_8),
              noConnection,
              UUID.randomUUID().toString());
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }
}
