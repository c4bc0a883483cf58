package io.cqconnect.config;

import java.util.Map;
import java.util.Objects;

/**
 * Settings of the standalone {@code cq-state-server}: where it listens and which JDBC database
 * holds the state tables. Parsed from command-line arguments, the password preferably from the
 * environment so it never shows in a process listing.
 */
public final class StateServerConfig {

  public static final String DEFAULT_ADDRESS = "127.0.0.1:7777";
  public static final String DEFAULT_JDBC_URL = "jdbc:sqlite:cq-state.db";

  /** Environment variable read for the JDBC password when {@code --jdbc-password} is absent. */
  public static final String PASSWORD_ENV = "CQ_STATE_JDBC_PASSWORD";

  private final String address;
  private final String jdbcUrl;
  private final String jdbcUser;
  private final String jdbcPassword;

  /** Validates and keeps the settings; {@code jdbcUser} and {@code jdbcPassword} may be empty. */
  public StateServerConfig(String address, String jdbcUrl, String jdbcUser, String jdbcPassword) {
    String addressProblem = ConfigValidators.grpcTargetProblem(address);
    if (address == null || address.isBlank() || addressProblem != null) {
      throw new IllegalArgumentException(
          "--address '" + address + "': " + (addressProblem != null ? addressProblem : "required"));
    }
    if (jdbcUrl == null
        || !(jdbcUrl.startsWith("jdbc:sqlite:") || jdbcUrl.startsWith("jdbc:postgresql:"))) {
      throw new IllegalArgumentException(
          "--jdbc-url '"
              + jdbcUrl
              + "': only jdbc:sqlite:<file> and jdbc:postgresql://host:port/db are supported");
    }
    this.address = address;
    this.jdbcUrl = jdbcUrl;
    this.jdbcUser = Objects.requireNonNullElse(jdbcUser, "");
    this.jdbcPassword = Objects.requireNonNullElse(jdbcPassword, "");
  }

  /**
   * Parses {@code --address}, {@code --jdbc-url}, {@code --jdbc-user} and {@code --jdbc-password}
   * (each as {@code --x value} or {@code --x=value}); the password falls back to {@value
   * #PASSWORD_ENV} in {@code env}.
   *
   * @throws IllegalArgumentException naming the bad argument; the message suits a usage error
   */
  public static StateServerConfig parse(String[] args, Map<String, String> env) {
    String address = DEFAULT_ADDRESS;
    String url = DEFAULT_JDBC_URL;
    String user = "";
    String password = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (!name.equals("--address")
          && !name.equals("--jdbc-url")
          && !name.equals("--jdbc-user")
          && !name.equals("--jdbc-password")) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + usage());
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value\n" + usage());
        }
        value = args[++i];
      }
      switch (name) {
        case "--address" -> address = value;
        case "--jdbc-url" -> url = value;
        case "--jdbc-user" -> user = value;
        default -> password = value;
      }
    }
    if (password == null) {
      password = env.getOrDefault(PASSWORD_ENV, "");
    }
    return new StateServerConfig(address, url, user, password);
  }

  /** The usage text of {@code cq-state-server}. */
  public static String usage() {
    return "usage: cq-state-server [--address HOST:PORT] [--jdbc-url URL] [--jdbc-user USER]"
        + " [--jdbc-password PASSWORD]\n"
        + "  --address     where to listen for gRPC (default "
        + DEFAULT_ADDRESS
        + ")\n"
        + "  --jdbc-url    jdbc:sqlite:<file> or jdbc:postgresql://host:port/db (default "
        + DEFAULT_JDBC_URL
        + ")\n"
        + "  --jdbc-user   database user (PostgreSQL)\n"
        + "  --jdbc-password  database password; prefer the environment variable "
        + PASSWORD_ENV
        + "\n";
  }

  /** The listen address, host:port. */
  public String address() {
    return address;
  }

  /** The JDBC URL of the state database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The JDBC user, empty when unset. */
  public String jdbcUser() {
    return jdbcUser;
  }

  /** The JDBC password, empty when unset. Never log it. */
  public String jdbcPassword() {
    return jdbcPassword;
  }

  /** The settings without the password. */
  @Override
  public String toString() {
    return "StateServerConfig{address="
        + address
        + ", jdbcUrl="
        + jdbcUrl
        + ", jdbcUser="
        + jdbcUser
        + ", jdbcPassword="
        + (jdbcPassword.isEmpty() ? "" : "[hidden]")
        + "}";
  }
}
