package io.cqconnect.connector;

import io.cqconnect.config.ConfigProblems;
import io.cqconnect.config.PluginConfig;
import io.cqconnect.config.SourceConfig;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginConnections;
import io.cqconnect.plugin.PluginNetwork;
import io.cqconnect.plugin.PluginProbe;
import io.cqconnect.plugin.PluginSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code plugin.*} keys of a connector config turned into plugin-client's {@link
 * PluginSettings}, so source and sink open and probe their plugin the same way.
 */
public final class ConfiguredPlugins {

  private ConfiguredPlugins() {}

  /** The settings the {@code plugin.*} and {@code grpc.*} keys describe. */
  public static PluginSettings settings(PluginConfig config) {
    return new PluginSettings(
        config.pluginPath().map(Path::of),
        config.pluginPath().isPresent() ? Optional.empty() : config.pluginAddress(),
        PluginNetwork.parse(config.pluginNetwork().value()),
        config.pluginArgs(),
        config.pluginEnv(),
        config.pluginInheritEnv(),
        config.pluginLogLevel().value(),
        config.pluginStartTimeout(),
        config.pluginCallTimeout(),
        config.pluginStopGrace(),
        config.grpcMaxMessageBytes(),
        config.pluginSpec());
  }

  /**
   * Launches or dials and initialises the configured plugin.
   *
   * @param noConnection tell the plugin not to contact its backend (for {@code GetTables} only)
   */
  public static PluginConnection open(PluginConfig config, String name, boolean noConnection) {
    return PluginConnections.open(settings(config), name, noConnection);
  }

  /**
   * Validate-time probe of the configured plugin; a plugin that cannot be reached is reported on
   * {@code plugin.path} (or {@code plugin.address}), a rejected spec on {@code plugin.spec}.
   */
  public static ConfigProblems probe(PluginConfig config) {
    return probe(config, null);
  }

  /**
   * Like {@link #probe(PluginConfig)}, and checks a source's table patterns against the plugin's
   * tables: an unknown pattern is reported on {@code tables} or {@code skip.tables}.
   */
  public static ConfigProblems probe(PluginConfig config, PluginProbe.TableFilter filter) {
    ConfigProblems problems = new ConfigProblems();
    PluginSettings settings;
    try {
      settings = settings(config);
    } catch (ConfigException e) {
      // An unresolvable ${NAME} in plugin.spec: nothing to probe with.
      return problems.add(PluginConfig.PLUGIN_SPEC_CONFIG, e.getMessage());
    }
    PluginProbe.check(settings, filter)
        .ifPresent(problem -> problems.add(keyOf(config, problem.subject()), problem.message()));
    return problems;
  }

  private static String keyOf(PluginConfig config, PluginProbe.Subject subject) {
    switch (subject) {
      case SPEC:
        return PluginConfig.PLUGIN_SPEC_CONFIG;
      case TABLES:
        return SourceConfig.TABLES_CONFIG;
      case SKIP_TABLES:
        return SourceConfig.SKIP_TABLES_CONFIG;
      default:
        break;
    }
    return config.pluginPath().isPresent()
        ? PluginConfig.PLUGIN_PATH_CONFIG
        : PluginConfig.PLUGIN_ADDRESS_CONFIG;
  }
}
