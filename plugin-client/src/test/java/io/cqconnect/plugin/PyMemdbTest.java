package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.plugin.testing.Fixtures;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Launching the Python SDK's memdb plugin (a third, independent implementation) as the CLI does.
 */
class PyMemdbTest {

  private PluginConnection plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void shouldAnswerDiscoveryAndNamesWhenLaunchedOnTcp() {
    plugin = Fixtures.start(Fixtures.PY_MEMDB, "tcp");

    assertThat(plugin.versions()).containsExactly(3);
    assertThat(plugin.client().name()).isEqualTo("memdb");
    assertThat(plugin.client().version()).isEqualTo("development");
  }

  @Test
  void shouldFailToStartWhenLaunchedOnAUnixSocketPath() {
    // The SDK ignores --network and passes the bare socket path to gRPC's add_insecure_port,
    // which only binds "unix:<path>"; the process exits and the launch says so.
    assertThatThrownBy(() -> plugin = Fixtures.start(Fixtures.PY_MEMDB, "unix"))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("exited")
        .hasMessageContaining("Failed to bind to address");
  }

  @Test
  void shouldServeOnAPrivateUnixSocketWhenGivenGrpcsUnixAddress() throws Exception {
    plugin = Fixtures.start(Fixtures.PY_MEMDB, "grpc-unix");

    assertThat(plugin.client().name()).isEqualTo("memdb");
    PluginProcess process = plugin.process().orElseThrow();
    assertThat(process.command()).containsSubsequence("--network", "tcp", "--address");
    assertThat(process.target()).startsWith("unix:").endsWith("/plugin.sock");
    java.nio.file.Path dir = java.nio.file.Path.of(process.target().substring(5)).getParent();
    assertThat(java.nio.file.Files.getPosixFilePermissions(dir))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    plugin.close();
    plugin = null;
    assertThat(dir).as("the socket directory is removed with the plugin").doesNotExist();
  }
}
