package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.config.StateServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CqStateServerTest {

  @Test
  void shouldUseLoopbackPort7777AndSqliteWhenGivenNoOptions() {
    StateServerConfig o = CqStateServer.parse(new String[0]);

    assertThat(o.address()).isEqualTo("127.0.0.1:7777");
    assertThat(o.jdbcUrl()).isEqualTo("jdbc:sqlite:cq-state.db");
    assertThat(o.threads()).isEqualTo(4);
    assertThat(o.logLevel()).isEqualTo("info");
  }

  @Test
  void shouldTakeEveryOptionWithSpaceOrEquals() {
    StateServerConfig o =
        CqStateServer.parse(
            new String[] {
              "--address=0.0.0.0:9000",
              "--jdbc-url",
              "jdbc:postgresql://db:5432/cq",
              "--jdbc-user",
              "cq",
              "--jdbc-password-env=PGPASS",
              "--threads",
              "2",
              "--log-level",
              "DEBUG"
            });

    assertThat(o.toString())
        .isEqualTo(
            "StateServerConfig{address=0.0.0.0:9000, jdbcUrl=jdbc:postgresql://db:5432/cq,"
                + " jdbcUser=cq, jdbcPasswordEnv=PGPASS, threads=2, logLevel=debug}");
  }

  @Test
  void shouldListenOnTheUnixSocketWhenGivenUnix() {
    assertThat(CqStateServer.parse(new String[] {"--unix", "/tmp/s.sock"}).address())
        .isEqualTo("unix:///tmp/s.sock");
  }

  @Test
  void shouldRefuseBothAddressAndUnix() {
    assertThatThrownBy(
            () -> CqStateServer.parse(new String[] {"--address", ":1", "--unix", "/tmp/s.sock"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("either --address or --unix");
  }

  @Test
  void shouldRefuseUnknownOptionsMissingValuesAndOtherDatabases() {
    assertThatThrownBy(() -> CqStateServer.parse(new String[] {"--port", "1"}))
        .hasMessageContaining("unknown option --port");
    assertThatThrownBy(() -> CqStateServer.parse(new String[] {"--jdbc-password", "x"}))
        .hasMessageContaining("unknown option --jdbc-password;");
    assertThatThrownBy(() -> CqStateServer.parse(new String[] {"--jdbc-url"}))
        .hasMessageContaining("--jdbc-url needs a value");
    assertThatThrownBy(() -> CqStateServer.parse(new String[] {"--jdbc-url", "jdbc:h2:mem:x"}))
        .hasMessageContaining("use jdbc:sqlite:<file> or");
  }

  @Test
  void shouldAskForHelpWithNull() {
    assertThat(CqStateServer.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void shouldExitWithOneAndKeepTheFileWhenTheUnixPathIsARegularFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "keep me");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        CqStateServer.run(
            new String[] {
              "--unix", file.toString(), "--jdbc-url", "jdbc:sqlite:" + dir.resolve("s.db")
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("cq-state-server could not start: ")
        .contains(
            file.toAbsolutePath()
                + " exists and is not a unix socket; remove it yourself or choose another socket"
                + " path");
    assertThat(file).hasContent("keep me");
  }

  @Test
  void shouldExitWithTwoAndPrintTheHelpWhenAnOptionIsUnknown() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        CqStateServer.run(
            new String[] {"--jdbc-password", "secret"},
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("cq-state-server: unknown option --jdbc-password;")
        .contains(StateServerConfig.usage());
  }
}
