package io.cqconnect.source;

import io.cqconnect.config.SourceConfig;
import io.cqconnect.plugin.PluginConnections;
import io.cqconnect.plugin.PluginLaunchSpec;
import io.cqconnect.plugin.PluginNetwork;
import io.cqconnect.plugin.PluginSettings;
import io.cqconnect.state.JdbcMirror;
import io.cqconnect.state.PluginMirror;
import io.cqconnect.state.StateTableMirror;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
    Optional<Path> binary = config.stateMirrorPath().map(Path::of);
    Optional<String> address = binary.isPresent() ? Optional.empty() : config.stateMirrorAddress();
    if (binary.isEmpty() && address.isEmpty()) {
      return null;
    }
    // Same network, limits and inherited environment as the source plugin; a mirror gets no
    // plugin.env.* and logs at info.
    PluginSettings settings =
        new PluginSettings(
            binary,
            address,
            PluginNetwork.parse(config.pluginNetwork().value()),
            config.stateMirrorArgs(),
            Map.of(),
            config.pluginInheritEnv(),
            "info",
            config.pluginStartTimeout(),
            config.pluginCallTimeout(),
            PluginLaunchSpec.DEFAULT_STOP_GRACE,
            config.grpcMaxMessageBytes(),
            config.stateMirrorSpec());
    return () -> new PluginMirror(PluginConnections.connect(settings, "state-mirror"), spec, table);
  }
}
