package io.cqconnect.source;

import io.cqconnect.config.SourceConfig;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginLaunchSpec;
import io.cqconnect.plugin.PluginNetwork;
import io.cqconnect.state.JdbcMirror;
import io.cqconnect.state.PluginMirror;
import io.cqconnect.state.StateTableMirror;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Opens the mirrored state table a source config names: JDBC, a destination plugin binary, or a
 * running one.
 */
final class StateMirrors {

  private StateMirrors() {}

  /** A way to open the configured mirror, or null when the config names none. */
  static Supplier<StateTableMirror> opener(SourceConfig config) {
    String table = config.stateTableName().orElse("");
    if (table.isEmpty()) {
      return null;
    }
    if (config.stateMirrorJdbcUrl().isPresent()) {
      String url = config.stateMirrorJdbcUrl().get();
      return () ->
          new JdbcMirror(
              url, config.stateMirrorJdbcUser(), config.stateMirrorJdbcPassword(), table);
    }
    byte[] spec = config.stateMirrorSpec().getBytes(StandardCharsets.UTF_8);
    if (config.stateMirrorPath().isPresent()) {
      Path binary = Path.of(config.stateMirrorPath().get());
      return () ->
          new PluginMirror(
              PluginConnection.launch(
                  PluginLaunchSpec.builder(binary)
                      .name("state-mirror")
                      .extraArgs(config.stateMirrorArgs())
                      .inheritEnv(config.pluginInheritEnv())
                      .network(PluginNetwork.parse(config.pluginNetwork().value()))
                      .startTimeout(config.pluginStartTimeout())
                      .callTimeout(config.pluginCallTimeout())
                      .maxMessageBytes(config.grpcMaxMessageBytes())
                      .build()),
              spec,
              table);
    }
    if (config.stateMirrorAddress().isPresent()) {
      String address = config.stateMirrorAddress().get();
      return () ->
          new PluginMirror(
              PluginConnection.dial(
                  address,
                  config.pluginStartTimeout(),
                  config.pluginCallTimeout(),
                  config.grpcMaxMessageBytes()),
              spec,
              table);
    }
    return null;
  }
}
