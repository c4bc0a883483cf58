package io.cqconnect.state;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cq-state-server}: a standalone CloudQuery state backend over SQLite or PostgreSQL, for the
 * CloudQuery CLI ({@code backend_options.connection: 127.0.0.1:7777}, or a destination with {@code
 * registry: grpc}) and for cq-connect's state mirror. Stops cleanly on SIGTERM or SIGINT.
 */
public final class CqStateServer {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: cq-state-server [options]",
          "  --address HOST:PORT      listen on TCP (default 127.0.0.1:7777; port 0 picks a free one)",
          "  --unix /PATH.sock        listen on a unix socket instead (dial it as unix:///PATH.sock)",
          "  --jdbc-url URL           jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB"
              + " (default jdbc:sqlite:cq-state.db)",
          "  --jdbc-user USER         database user (PostgreSQL)",
          "  --jdbc-password-env VAR  read the database password from environment variable VAR",
          "  --threads N              serving threads (default 4)",
          "  --log-level LEVEL        trace, debug, info, warn or error (default info; debug logs"
              + " every RPC)",
          "  --help                   print this help");

  /** Parsed command line. */
  record Options(
      String address,
      String jdbcUrl,
      String jdbcUser,
      String jdbcPasswordEnv,
      int threads,
      String logLevel) {}

  private CqStateServer() {}

  /** Runs the server until SIGTERM/SIGINT; exit code 2 on bad arguments, 1 if it cannot start. */
  public static void main(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("cq-state-server: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.println(USAGE);
      return;
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
                  + " (--jdbc-password-env) is not set");
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
      log.error("cq-state-server could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
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
  }

  /** Parses the arguments; null means help was asked for. */
  static Options parse(String[] args) {
    String address = "127.0.0.1:7777";
    String unix = null;
    boolean tcpGiven = false;
    String url = "jdbc:sqlite:cq-state.db";
    String user = null;
    String passwordEnv = null;
    int threads = 4;
    String level = "info";
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        return null;
      }
      if (!name.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      if (value == null) {
        if (rest.isEmpty()) {
          throw new IllegalArgumentException("option " + name + " needs a value");
        }
        value = rest.remove(0);
      }
      switch (name) {
        case "--address" -> {
          address = value;
          tcpGiven = true;
        }
        case "--unix" -> unix = value;
        case "--jdbc-url" -> url = value;
        case "--jdbc-user" -> user = value;
        case "--jdbc-password-env" -> passwordEnv = value;
        case "--threads" -> {
          try {
            threads = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threads needs a number, got '" + value + "'");
          }
        }
        case "--log-level" -> level = value.toLowerCase(Locale.ROOT);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (unix != null) {
      if (tcpGiven) {
        throw new IllegalArgumentException("give either --address or --unix, not both");
      }
      address = unix.startsWith("unix://") ? unix : "unix://" + unix;
    }
    if (!List.of("trace", "debug", "info", "warn", "error").contains(level)) {
      throw new IllegalArgumentException(
          "--log-level must be trace, debug, info, warn or error, got '" + level + "'");
    }
    JdbcDialect.forUrl(url); // fail on an unsupported URL before anything starts
    return new Options(address, url, user, passwordEnv, threads, level);
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
