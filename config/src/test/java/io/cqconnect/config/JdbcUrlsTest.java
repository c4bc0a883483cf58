package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

  @Test
  void shouldMaskPasswordParameters() {
    assertThat(
            JdbcUrls.redact(
                "jdbc:postgresql://db:5432/state?user=cq&password=canary-s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/state?user=cq&password=***&ssl=true");
    assertThat(JdbcUrls.redact("jdbc:postgresql://db/state?PASSWORD=canary"))
        .isEqualTo("jdbc:postgresql://db/state?PASSWORD=***");
  }

  @Test
  void shouldMaskPasswordsInUserInfo() {
    assertThat(JdbcUrls.redact("jdbc:postgresql://cq:canary-s3cret@db:5432/state"))
        .isEqualTo("jdbc:postgresql://cq:***@db:5432/state");
  }

  @Test
  void shouldLeaveUrlsWithoutPasswordsAlone() {
    assertThat(JdbcUrls.redact("jdbc:sqlite:/var/lib/cq/state.db"))
        .isEqualTo("jdbc:sqlite:/var/lib/cq/state.db");
    assertThat(JdbcUrls.redact("jdbc:postgresql://db:5432/state?user=cq"))
        .isEqualTo("jdbc:postgresql://db:5432/state?user=cq");
    assertThat(JdbcUrls.redact(null)).isEqualTo("null");
  }
}
