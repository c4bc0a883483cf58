package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StateServerConfigTest {

  @Test
  void shouldUseSqliteOnLoopbackWhenNoArgumentsAreGiven() {
    StateServerConfig config = StateServerConfig.parse(new String[0], Map.of());

    assertThat(config.address()).isEqualTo("127.0.0.1:7777");
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:sqlite:cq-state.db");
    assertThat(config.jdbcUser()).isEmpty();
    assertThat(config.jdbcPassword()).isEmpty();
  }

  @Test
  void shouldReadPasswordFromEnvironmentWhenNotGivenAsArgument() {
    StateServerConfig config =
        StateServerConfig.parse(
            new String[] {
              "--address=0.0.0.0:9000",
              "--jdbc-url",
              "jdbc:postgresql://db:5432/cq",
              "--jdbc-user",
              "cq"
            },
            Map.of(StateServerConfig.PASSWORD_ENV, "s3cret"));

    assertThat(config.address()).isEqualTo("0.0.0.0:9000");
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/cq");
    assertThat(config.jdbcUser()).isEqualTo("cq");
    assertThat(config.jdbcPassword()).isEqualTo("s3cret");
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void shouldNameTheBadArgumentWhenParsingFails() {
    assertThatThrownBy(() -> StateServerConfig.parse(new String[] {"--port", "1"}, Map.of()))
        .hasMessageStartingWith("unknown argument '--port'");
    assertThatThrownBy(() -> StateServerConfig.parse(new String[] {"--jdbc-url"}, Map.of()))
        .hasMessageStartingWith("--jdbc-url needs a value");
    assertThatThrownBy(
            () -> StateServerConfig.parse(new String[] {"--jdbc-url", "jdbc:h2:mem"}, Map.of()))
        .hasMessage(
            "--jdbc-url 'jdbc:h2:mem': only jdbc:sqlite:<file> and jdbc:postgresql://host:port/db"
                + " are supported");
    assertThatThrownBy(() -> StateServerConfig.parse(new String[] {"--address", "x"}, Map.of()))
        .hasMessage(
            "--address 'x': expected host:port (for example 127.0.0.1:7777) or"
                + " unix:///absolute/socket/path");
  }
}
