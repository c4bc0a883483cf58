package io.cqconnect.state;

import io.cqconnect.config.StateServerConfig;
import java.io.IOException;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cq-state-server}: a standalone CloudQuery state backend over SQLite or PostgreSQL, for the
 * CloudQuery CLI ({@code backend_options.connection: 127.0.0.1:7777}, or a destination with {@code
 * registry: grpc}) and for cq-connect's state mirror. Stops cleanly on SIGTERM or SIGINT.
 */
public final class CqStateServer {

  private CqStateServer() {}

  /** Runs the server until SIGTERM/SIGINT; exit code 2 on bad arguments, 1 if it cannot start. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Parses, starts and serves until the server terminates; returns the exit code at once when the
   * arguments are bad (2) or the server cannot start (1), the reason written to {@code err}.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    StateServerConfig options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("cq-state-server: " + e.getMessage());
      err.print(StateServerConfig.usage());
      return 2;
    }
    if (options == null) {
      out.print(StateServerConfig.usage());
      return 0;
    }
    configureLogging(options.logLevel());
    Logger log = LoggerFactory.getLogger(CqStateServer.class);
    StateBackendServer server;
    JdbcStateStore store;
    try {
      String password = null;
      if (options.jdbcPasswordEnv() != null) {
        password = System.getenv(options.jdbcPasswordEnv());
        if (password == null) {
          throw new IllegalArgumentException(
              "environment variable "
                  + options.jdbcPasswordEnv()
                  + " (--jdbc-password-env) is not set; export it or drop the option");
        }
      }
      store = new JdbcStateStore(options.jdbcUrl(), options.jdbcUser(), password);
      try {
        server =
            StateBackendServer.builder(store)
                .address(options.address())
                .threads(options.threads())
                .start();
      } catch (IOException | RuntimeException e) {
        store.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      err.println("cq-state-server could not start: " + e.getMessage());
      log.debug("cq-state-server could not start", e);
      return 1;
    }
    final StateBackendServer running = server;
    final JdbcStateStore runningStore = store;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping cq-state-server");
                  running.close();
                  runningStore.close();
                },
                "cq-state-server-shutdown"));
    log.info(
        "cq-state-server {} listening on {} with state in {}",
        ProjectVersion.get(),
        server.target(),
        store.describe());
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Parses the arguments with {@link StateServerConfig} (the options the help and the docs list);
   * null means help was asked for.
   */
  static StateServerConfig parse(String[] args) {
    StateServerConfig config = StateServerConfig.parse(args).orElse(null);
    if (config != null) {
      JdbcDialect.forUrl(config.jdbcUrl()); // fail on an unsupported URL before anything starts
    }
    return config;
  }

  /** Points Log4j (bundled in the standalone jar) at our configuration unless the user set one. */
  private static void configureLogging(String level) {
    System.setProperty("cq.state.log.level", level);
    if (System.getProperty("log4j2.configurationFile") == null
        && System.getProperty("log4j.configurationFile") == null) {
      System.setProperty(
          "log4j2.configurationFile", "classpath:io/cqconnect/state/cq-state-server-log4j2.xml");
    }
  }
}
