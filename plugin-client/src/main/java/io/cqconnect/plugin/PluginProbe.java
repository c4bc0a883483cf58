package io.cqconnect.plugin;

import io.cqconnect.config.ConfigProblems;
import io.cqconnect.config.PluginConfig;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Validate-time checks that need the plugin itself: it starts (or answers at its address) and its
 * {@code TestConnection} accepts the spec. Messages are attached to the key that caused them.
 */
public final class PluginProbe {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  private PluginProbe() {}

  public static ConfigProblems check(PluginConfig config) {
    ConfigProblems problems = new ConfigProblems();
    String where =
        config.pluginPath().isPresent()
            ? PluginConfig.PLUGIN_PATH_CONFIG
            : PluginConfig.PLUGIN_ADDRESS_CONFIG;
    Duration timeout =
        config.pluginStartTimeout().compareTo(PROBE_TIMEOUT) < 0
            ? config.pluginStartTimeout()
            : PROBE_TIMEOUT;
    PluginConnection plugin;
    try {
      plugin = PluginConnections.connect(config, "validate", timeout, timeout);
    } catch (RuntimeException e) {
      problems.add(where, "cannot reach the plugin: " + e.getMessage());
      return problems;
    }
    try (plugin) {
      TestConnection.Response answer =
          plugin.client().testConnection(config.pluginSpec().getBytes(StandardCharsets.UTF_8));
      if (!answer.getSuccess()) {
        problems.add(
            PluginConfig.PLUGIN_SPEC_CONFIG,
            "the plugin rejects this spec ("
                + answer.getFailureCode()
                + "): "
                + answer.getFailureDescription());
      }
    } catch (RuntimeException e) {
      Status status = GrpcErrors.statusOf(e);
      if (status == null || status.getCode() != Status.Code.UNIMPLEMENTED) {
        problems.add(PluginConfig.PLUGIN_SPEC_CONFIG, "testing the spec failed: " + e.getMessage());
      }
    }
    return problems;
  }
}
