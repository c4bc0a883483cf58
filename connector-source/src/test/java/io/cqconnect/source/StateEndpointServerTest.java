package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateEndpointServerTest {

  @Test
  void shouldServeALaunchedPluginOnAUnixSocketOnlyTheWorkersUserCanReach() throws Exception {
    SyncRunner.StateEndpoint endpoint =
        StateEndpointServer.start(new SyncStateCapture("cq_state", List.of()), Optional.empty());
    Path dir = ((StateEndpointServer) endpoint).socketDir();
    try {
      assertThat(endpoint.target()).isEqualTo("unix://" + dir.resolve("state.sock"));
      assertThat(dir.resolve("state.sock")).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
    } finally {
      endpoint.close();
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void shouldServeADialledPluginOnAFreshPortOfTheConfiguredHost() {
    try (SyncRunner.StateEndpoint endpoint =
        StateEndpointServer.start(
            new SyncStateCapture("cq_state", List.of()), Optional.of("127.0.0.1"))) {
      assertThat(endpoint.target()).matches("127\\.0\\.0\\.1:[1-9]\\d*");
      assertThat(((StateEndpointServer) endpoint).socketDir()).isNull();
    }
  }
}
