package io.cqconnect.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServeArgsTest {

  @Test
  void shouldParseTheCliCommandLineWhenLaunchedLikeTheCloudQueryCli() {
    ServeArgs a =
        ServeArgs.parse(
            List.of(
                "serve",
                "--log-level",
                "debug",
                "--log-format",
                "json",
                "--network",
                "unix",
                "--address",
                "/tmp/cq-abc.sock",
                "--no-sentry"));
    assertThat(a).isEqualTo(new ServeArgs("unix", "/tmp/cq-abc.sock", "json", "debug"));
    assertThat(a.unix()).isTrue();
  }

  @Test
  void shouldUseGoSdkDefaultsWhenOnlyServeIsGiven() {
    assertThat(ServeArgs.parse(List.of("serve")))
        .isEqualTo(new ServeArgs("tcp", "localhost:7777", "text", "info"));
  }

  @Test
  void shouldAcceptFlagEqualsValueAndIgnoreGoOnlyFlagsWhenPresent() {
    ServeArgs a =
        ServeArgs.parse(
            List.of(
                "serve",
                "--address=127.0.0.1:0",
                "--license",
                "/x",
                "--otel-endpoint=http://y",
                "--otel-endpoint-insecure"));
    assertThat(a.address()).isEqualTo("127.0.0.1:0");
    assertThat(a.network()).isEqualTo("tcp");
  }

  @Test
  void shouldStripUnixSchemeWhenTheAddressIsAGrpcTarget() {
    assertThat(
            ServeArgs.parse(List.of("serve", "--network", "unix", "--address", "unix:///t/a.sock"))
                .address())
        .isEqualTo("/t/a.sock");
  }

  @Test
  void shouldListenOnAUnixSocketWhenGivenGrpcsUnixAddressWithNetworkTcp() {
    ServeArgs a =
        ServeArgs.parse(List.of("serve", "--network", "tcp", "--address", "unix:/t/plugin.sock"));
    assertThat(a.unix()).isTrue();
    assertThat(a.address()).isEqualTo("/t/plugin.sock");
  }

  @Test
  void shouldRejectWithUsageWhenArgumentsAreWrong() {
    assertThatThrownBy(() -> ServeArgs.parse(List.of()))
        .hasMessageContaining("first argument must be 'serve'")
        .hasMessageContaining("usage:");
    assertThatThrownBy(() -> ServeArgs.parse(List.of("serve", "--bogus")))
        .hasMessageContaining("unknown argument '--bogus'");
    assertThatThrownBy(() -> ServeArgs.parse(List.of("serve", "--network", "udp")))
        .hasMessageContaining("--network must be 'tcp' or 'unix', got 'udp'");
    assertThatThrownBy(() -> ServeArgs.parse(List.of("serve", "--network", "unix")))
        .hasMessageContaining("needs --address <socket path>");
    assertThatThrownBy(() -> ServeArgs.parse(List.of("serve", "--log-level", "loud")))
        .hasMessageContaining("--log-level must be one of");
    assertThatThrownBy(() -> ServeArgs.parse(List.of("serve", "--address")))
        .hasMessageContaining("flag --address needs a value");
  }
}
