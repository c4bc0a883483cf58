package io.cqconnect.source;

import io.cqconnect.config.PluginConfig;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginLaunchSpec;
import io.cqconnect.plugin.PluginNetwork;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** Opens the plugin a connector config names: launches {@code plugin.path} or dials {@code plugin.address}, then {@code Init}s it. */
final class PluginOpeners {

  private PluginOpeners() {}

  static SyncRunner.PluginOpener forConfig(PluginConfig config, String name) {
    return () -> open(config, name, false);
  }

  /** Launches or dials the plugin and waits until it answers, without {@code Init}. */
  static PluginConnection connect(
      PluginConfig config, String name, Duration startTimeout, Duration callTimeout) {
    if (config.pluginPath().isPresent()) {
      return PluginConnection.launch(
          PluginLaunchSpec.builder(Path.of(config.pluginPath().get()))
              .name(name)
              .network(PluginNetwork.parse(config.pluginNetwork().value()))
              .extraArgs(config.pluginArgs())
              .env(config.pluginEnv())
              .logLevel(config.pluginLogLevel().value())
              .startTimeout(startTimeout)
              .stopGrace(config.pluginStopGrace())
              .callTimeout(callTimeout)
              .maxMessageBytes(config.grpcMaxMessageBytes())
              .build());
    }
    return PluginConnection.dial(
        config.pluginAddress().orElseThrow(), startTimeout, callTimeout, config.grpcMaxMessageBytes());
  }

  /**
   * Connects and initialises; on failure nothing is left running.
   *
   * @param noConnection tell the plugin not to contact its backend (for {@code GetTables} only)
   */
  static PluginConnection open(PluginConfig config, String name, boolean noConnection) {
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
