package io.cqconnect.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The command line of the standalone {@code cq-state-server}: the one definition of its options,
 * from which both its parser and its help text (and so {@code docs/configuration.md}) are made.
 */
public final class StateServerConfig {

  public static final String DEFAULT_ADDRESS = "127.0.0.1:7777";
  public static final String DEFAULT_JDBC_URL = "jdbc:sqlite:cq-state.db";
  public static final int DEFAULT_THREADS = 4;
  public static final String DEFAULT_LOG_LEVEL = "info";

  private static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "error");

  /** One option: its name, the placeholder of its value (empty for a flag) and its help text. */
  public record Option(String name, String value, String doc) {

    /** The option as a help line, the text aligned after the name and value. */
    String helpLine() {
      String left = name + (value.isEmpty() ? "" : " " + value);
      return "  " + left + " ".repeat(Math.max(1, 25 - left.length())) + doc;
    }
  }

  /** Every option the server accepts, in help order; {@link #parse} accepts exactly these. */
  public static final List<Option> OPTIONS =
      List.of(
          new Option(
              "--address",
              "HOST:PORT",
              "listen on TCP (default " + DEFAULT_ADDRESS + "; port 0 picks a free one)"),
          new Option(
              "--unix",
              "/PATH.sock",
              "listen on a unix socket (dial unix:///PATH.sock); replaces only a stale socket"),
          new Option(
              "--jdbc-url",
              "URL",
              "jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB (default "
                  + DEFAULT_JDBC_URL
                  + ")"),
          new Option("--jdbc-user", "USER", "database user (PostgreSQL)"),
          new Option(
              "--jdbc-password-env",
              "VAR",
              "read the database password from environment variable VAR"),
          new Option("--threads", "N", "serving threads (default " + DEFAULT_THREADS + ")"),
          new Option(
              "--log-level",
              "LEVEL",
              "trace, debug, info, warn or error (default "
                  + DEFAULT_LOG_LEVEL
                  + "; debug logs every RPC)"),
          new Option("--help", "", "print this help"));

  private final String address;
  private final String jdbcUrl;
  private final String jdbcUser;
  private final String jdbcPasswordEnv;
  private final int threads;
  private final String logLevel;

  private StateServerConfig(
      String address,
      String jdbcUrl,
      String jdbcUser,
      String jdbcPasswordEnv,
      int threads,
      String logLevel) {
    this.address = address;
    this.jdbcUrl = jdbcUrl;
    this.jdbcUser = jdbcUser;
    this.jdbcPasswordEnv = jdbcPasswordEnv;
    this.threads = threads;
    this.logLevel = logLevel;
  }

  /**
   * Parses the arguments ({@code --x value} or {@code --x=value}); empty means help was asked for.
   *
   * @throws IllegalArgumentException naming the bad argument; the message suits a usage error
   */
  public static Optional<StateServerConfig> parse(String[] args) {
    String address = DEFAULT_ADDRESS;
    String unix = null;
    boolean tcpGiven = false;
    String url = DEFAULT_JDBC_URL;
    String user = null;
    String passwordEnv = null;
    int threads = DEFAULT_THREADS;
    String level = DEFAULT_LOG_LEVEL;
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
      if (name.equals("-h")) {
        name = "--help";
      }
      if (!name.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      // Looked up in OPTIONS first, so an option the help does not list can never be accepted.
      Option option = option(name);
      if (option.value().isEmpty()) {
        return Optional.empty(); // --help, the only flag
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
        case "--threads" -> threads = positive(value);
        case "--log-level" -> level = value.toLowerCase(Locale.ROOT);
        default ->
            throw new IllegalStateException(
                "option " + name + " is listed in StateServerConfig.OPTIONS but not parsed");
      }
    }
    if (unix != null) {
      if (tcpGiven) {
        throw new IllegalArgumentException("give either --address or --unix, not both");
      }
      address = unix.startsWith("unix://") ? unix : "unix://" + unix;
    }
    if (address.isBlank()) {
      throw new IllegalArgumentException("--address needs HOST:PORT, got an empty value");
    }
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "--log-level must be trace, debug, info, warn or error, got '" + level + "'");
    }
    return Optional.of(new StateServerConfig(address, url, user, passwordEnv, threads, level));
  }

  private static Option option(String name) {
    for (Option option : OPTIONS) {
      if (option.name().equals(name)) {
        return option;
      }
    }
    throw new IllegalArgumentException(
        "unknown option " + name + "; run cq-state-server --help for the options");
  }

  private static int positive(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--threads needs a positive number, got '" + value + "'");
  }

  /** The help text of {@code cq-state-server}, one line per option. */
  public static String usage() {
    StringBuilder out = new StringBuilder("Usage: cq-state-server [options]\n");
    for (Option option : OPTIONS) {
      out.append(option.helpLine()).append('\n');
    }
    return out.toString();
  }

  /** Where to listen: {@code host:port} or {@code unix:///path.sock}. */
  public String address() {
    return address;
  }

  /** The JDBC URL of the state database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The JDBC user, null when unset. */
  public String jdbcUser() {
    return jdbcUser;
  }

  /** The environment variable holding the JDBC password, null when unset. */
  public String jdbcPasswordEnv() {
    return jdbcPasswordEnv;
  }

  /** Serving threads. */
  public int threads() {
    return threads;
  }

  /** trace, debug, info, warn or error. */
  public String logLevel() {
    return logLevel;
  }

  @Override
  public String toString() {
    return "StateServerConfig{address="
        + address
        + ", jdbcUrl="
        + JdbcUrls.redact(jdbcUrl)
        + ", jdbcUser="
        + jdbcUser
        + ", jdbcPasswordEnv="
        + jdbcPasswordEnv
        + ", threads="
        + threads
        + ", logLevel="
        + logLevel
        + "}";
  }
}
