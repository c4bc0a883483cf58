package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the state backend does to the files at its socket path and how it warns about exposure. */
class StateBackendServerSafetyTest {

  private final MemoryStateStore store = new MemoryStateStore();

  @Test
  void shouldKeepARegularFileAndRefuseToStartWhenItSitsAtTheSocketPath(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("important.db");
    Files.writeString(file, "precious");

    assertThatThrownBy(() -> StateBackendServer.builder(store).address("unix://" + file).start())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            file.toAbsolutePath()
                + " exists and is not a unix socket; remove it yourself or choose another socket"
                + " path");
    assertThat(file).hasContent("precious");
  }

  @Test
  void shouldKeepADirectoryAtTheSocketPath(@TempDir Path dir) throws Exception {
    Path sub = Files.createDirectory(dir.resolve("state.sock"));

    assertThatThrownBy(() -> StateBackendServer.builder(store).address("unix://" + sub).start())
        .hasMessageContaining("is not a unix socket");
    assertThat(sub).isDirectory();
  }

  @Test
  void shouldReplaceAStaleSocketFileLeftByAnEarlierServer(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("state.sock");
    try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      old.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).as("closing a unix socket leaves its file").exists();

    try (StateBackendServer s =
            StateBackendServer.builder(store).address("unix://" + socket).start();
        StateTestClient c = new StateTestClient(s.target())) {
      assertThat(
              c.discovery.getVersions(GetVersions.Request.getDefaultInstance()).getVersionsList())
          .containsExactly(3);
    }
  }

  @Test
  void shouldWarnAboutMissingAuthenticationWhenListeningOnAllInterfaces() throws Exception {
    List<String> warnings = captureWarnings("0.0.0.0:0");

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .startsWith("State backend listens on 0.0.0.0:")
        .contains(
            "not a loopback address, and has no authentication: anyone who can reach this port"
                + " can read and write every cursor",
            "Listen on 127.0.0.1, on a unix socket, or firewall the port");
  }

  @Test
  void shouldNotWarnWhenListeningOnLoopback() throws Exception {
    assertThat(captureWarnings("127.0.0.1:0")).isEmpty();
  }

  /** Starts and stops a server on the address, returning its WARN messages about loopback. */
  private List<String> captureWarnings(String address) throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    AbstractAppender capture =
        new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            // Only the exposure warning: a slow shutdown may warn too, and is not under test.
            String message = event.getMessage().getFormattedMessage();
            if (event.getLevel() == Level.WARN && message.contains("loopback")) {
              warnings.add(message);
            }
          }
        };
    capture.start();
    Logger logger = (Logger) LogManager.getLogger(StateBackendServer.class);
    logger.addAppender(capture);
    try (StateBackendServer s = StateBackendServer.builder(store).address(address).start()) {
      assertThat(s.port()).isPositive();
    } finally {
      logger.removeAppender(capture);
      capture.stop();
    }
    return warnings;
  }
}
