package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginSettingsTest {

  private static PluginSettings settings(Optional<Path> binary, Optional<String> address) {
    return new PluginSettings(
        binary,
        address,
        PluginNetwork.UNIX,
        List.of("--no-sentry"),
        Map.of("A", "1"),
        List.of("AWS_*"),
        "warn",
        Duration.ofSeconds(3),
        Duration.ofSeconds(4),
        Duration.ofSeconds(2),
        1024,
        "{}");
  }

  @Test
  void shouldRefuseBothABinaryAndAnAddress() {
    assertThatThrownBy(() -> settings(Optional.of(Path.of("/bin/p")), Optional.of("h:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("give a plugin either a binary to launch or an address to dial, not both");
  }

  @Test
  void shouldRefuseNeitherABinaryNorAnAddress() {
    assertThatThrownBy(() -> settings(Optional.empty(), Optional.empty()))
        .hasMessage("give a plugin either a binary to launch or an address to dial, not neither");
  }

  @Test
  void shouldLaunchWithEverySetting() {
    PluginLaunchSpec spec =
        settings(Optional.of(Path.of("/bin/p")), Optional.empty())
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(9))
            .launchSpec("probe");

    assertThat(spec.binary()).isEqualTo(Path.of("/bin/p"));
    assertThat(spec.name()).isEqualTo("probe");
    assertThat(spec.network()).isEqualTo(PluginNetwork.UNIX);
    assertThat(spec.extraArgs()).containsExactly("--no-sentry");
    assertThat(spec.env()).containsExactly(Map.entry("A", "1"));
    assertThat(spec.inheritEnv()).containsExactly("AWS_*");
    assertThat(spec.logLevel()).isEqualTo("warn");
    assertThat(spec.startTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(spec.callTimeout()).isEqualTo(Duration.ofSeconds(9));
    assertThat(spec.stopGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(spec.maxMessageBytes()).isEqualTo(1024);
  }
}
