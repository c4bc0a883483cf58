package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CqStateServerTest {

  @Test
  void shouldUseLoopbackPort7777AndSqliteWhenGivenNoOptions() {
    CqStateServer.Options o = CqStateServer.parse(new String[0]);

    assertThat(o.address()).isEqualTo("127.0.0.1:7777");
    assertThat(o.jdbcUrl()).isEqualTo("jdbc:sqlite:cq-state.db");
    assertThat(o.threads()).isEqualTo(4);
    assertThat(o.logLevel()).isEqualTo("info");
  }

  @Test
  void shouldTakeEveryOptionWithSpaceOrEquals() {
    CqStateServer.Options o =
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

    assertThat(o)
        .isEqualTo(
            new CqStateServer.Options(
                "0.0.0.0:9000", "jdbc:postgresql://db:5432/cq", "cq", "PGPASS", 2, "debug"));
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
    assertThatThrownBy(() -> CqStateServer.parse(new String[] {"--jdbc-url"}))
        .hasMessageContaining("--jdbc-url needs a value");
    assertThatThrownBy(() -> CqStateServer.parse(new String[] {"--jdbc-url", "jdbc:h2:mem:x"}))
        .hasMessageContaining("jdbc:sqlite:");
  }

  @Test
  void shouldAskForHelpWithNull() {
    assertThat(CqStateServer.parse(new String[] {"--help"})).isNull();
  }
}
