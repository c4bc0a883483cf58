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
}
