package io.cqconnect.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.config.SinkConfig;
import io.cqconnect.plugin.PluginNetwork;
import io.cqconnect.plugin.PluginSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfiguredPluginsTest {

  @Test
  void shouldCarryEveryLaunchKeyIntoTheSettings() {
    SinkConfig config =
        new SinkConfig(
            Map.of(
                "plugin.path", "/opt/plugins/cq-dest-sqlite",
                "plugin.network", "tcp",
                "plugin.args", "--no-sentry",
                "plugin.env.CQ_TELEMETRY_LEVEL", "none",
                "plugin.log.level", "debug",
                "plugin.start.timeout.ms", "1234",
                "plugin.call.timeout.ms", "5678",
                "plugin.stop.grace.ms", "900",
                "grpc.max.message.bytes", "1048576",
                "plugin.spec", "{\"connection_string\":\"/tmp/db.sqlite\"}"));

    PluginSettings settings = ConfiguredPlugins.settings(config);

    assertThat(settings.binary()).contains(Path.of("/opt/plugins/cq-dest-sqlite"));
    assertThat(settings.address()).isEmpty();
    assertThat(settings.network()).isEqualTo(PluginNetwork.TCP);
    assertThat(settings.args()).containsExactly("--no-sentry");
    assertThat(settings.env()).containsExactly(Map.entry("CQ_TELEMETRY_LEVEL", "none"));
    assertThat(settings.logLevel()).isEqualTo("debug");
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofMillis(1234));
    assertThat(settings.callTimeout()).isEqualTo(Duration.ofMillis(5678));
    assertThat(settings.stopGrace()).isEqualTo(Duration.ofMillis(900));
    assertThat(settings.maxMessageBytes()).isEqualTo(1_048_576);
    assertThat(settings.spec()).isEqualTo("{\"connection_string\":\"/tmp/db.sqlite\"}");
  }

  @Test
  void shouldDialTheAddressWhenNoPathIsSet() {
    PluginSettings settings =
        ConfiguredPlugins.settings(new SinkConfig(Map.of("plugin.address", "127.0.0.1:7777")));

    assertThat(settings.binary()).isEmpty();
    assertThat(settings.address()).isEqualTo(Optional.of("127.0.0.1:7777"));
    assertThat(settings.args()).isEqualTo(List.of());
  }

  @Test
  void shouldReportAnUnstartableBinaryOnPluginPath() {
    assertThat(
            probe(
                Map.of("plugin.path", "/nonexistent/cq-plugin", "plugin.start.timeout.ms", "2000")))
        .containsOnlyKeys("plugin.path")
        .hasEntrySatisfying(
            "plugin.path", m -> assertThat(m.get(0)).startsWith("cannot reach the plugin: "));
  }

  @Test
  void shouldReportAnUnresolvableSpecVariableOnPluginSpec() {
    assertThat(
            probe(Map.of("plugin.address", "127.0.0.1:1", "plugin.spec", "{\"t\":\"${MISSING}\"}")))
        .containsOnlyKeys("plugin.spec")
        .hasEntrySatisfying("plugin.spec", m -> assertThat(m.get(0)).contains("MISSING"));
  }

  private static Map<String, List<String>> probe(Map<String, String> props) {
    return ConfiguredPlugins.probe(new SinkConfig(props)).asMap();
  }
}
