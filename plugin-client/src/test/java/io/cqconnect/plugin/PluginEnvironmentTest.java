package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginEnvironmentTest {

  private static final Map<String, String> WORKER =
      Map.of(
          "PATH", "/usr/bin",
          "HOME", "/home/connect",
          "LC_ALL", "C.UTF-8",
          "HTTPS_PROXY", "http://proxy:3128",
          "AWS_ACCESS_KEY_ID", "AKIA-canary",
          "AWS_SECRET_ACCESS_KEY", "canary-secret",
          "OTHER_CONNECTOR_DB_PASSWORD", "canary-db",
          "CQ_CONNECT_PLUGIN_DIRS", "/opt/plugins",
          "CQ_OTHER", "x");

  @Test
  void shouldPassOnlyTheBaseSetByDefault() {
    assertThat(PluginEnvironment.of(WORKER, List.of(), Map.of()))
        .containsOnly(
            Map.entry("PATH", "/usr/bin"),
            Map.entry("HOME", "/home/connect"),
            Map.entry("LC_ALL", "C.UTF-8"),
            Map.entry("HTTPS_PROXY", "http://proxy:3128"),
            Map.entry("CQ_TELEMETRY_LEVEL", "none"));
  }

  @Test
  void shouldAddOptedInNamesAndPrefixesThenPluginEnvLast() {
    Map<String, String> env =
        PluginEnvironment.of(
            WORKER,
            List.of("AWS_*", " OTHER_CONNECTOR_DB_PASSWORD", "CQ_*"),
            Map.of("PATH", "/opt/bin", "CQ_TELEMETRY_LEVEL", "errors"));

    assertThat(env)
        .containsEntry("AWS_ACCESS_KEY_ID", "AKIA-canary")
        .containsEntry("AWS_SECRET_ACCESS_KEY", "canary-secret")
        .containsEntry("OTHER_CONNECTOR_DB_PASSWORD", "canary-db")
        .containsEntry("PATH", "/opt/bin")
        .containsEntry("CQ_TELEMETRY_LEVEL", "errors")
        .doesNotContainKeys("CQ_OTHER", "CQ_CONNECT_PLUGIN_DIRS");
  }
}
