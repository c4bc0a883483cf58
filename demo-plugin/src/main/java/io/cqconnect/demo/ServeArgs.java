package io.cqconnect.demo;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code <launcher> serve}, with the flags and defaults of the CloudQuery Go
 * SDK: {@code --network tcp|unix}, {@code --address}, {@code --log-format json|text} and {@code
 * --log-level}. Flags that only matter to Go plugins ({@code --no-sentry}, {@code --license}, the
 * OpenTelemetry ones) are accepted and ignored, so the CLI's command lines work unchanged.
 */
record ServeArgs(String network, String address, String logFormat, String logLevel) {

  static final String USAGE =
      "usage: cq-demo-plugin serve [--network tcp|unix] [--address ADDR] [--log-format json|text]"
          + " [--log-level trace|debug|info|warn|error]";

  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static final Set<String> IGNORED_SWITCHES =
      Set.of("--no-sentry", "--otel-endpoint-insecure");
  private static final Set<String> IGNORED_WITH_VALUE = Set.of("--license", "--otel-endpoint");

  /** True when the plugin listens on a unix domain socket. */
  boolean unix() {
    return "unix".equals(network);
  }

  /**
   * Parses {@code serve} and its flags ({@code --flag value} or {@code --flag=value}).
   *
   * @throws IllegalArgumentException naming the bad argument, with the usage line
   */
  static ServeArgs parse(List<String> args) {
    if (args.isEmpty() || !"serve".equals(args.get(0))) {
      throw new IllegalArgumentException("the first argument must be 'serve'; " + USAGE);
    }
    String network = "tcp";
    String address = null;
    String format = "text";
    String level = "info";
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (IGNORED_SWITCHES.contains(flag)) {
        continue;
      }
      boolean known =
          IGNORED_WITH_VALUE.contains(flag)
              || Set.of("--network", "--address", "--log-format", "--log-level").contains(flag);
      if (!known) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException("flag " + flag + " needs a value; " + USAGE);
        }
        value = args.get(++i);
      }
      switch (flag) {
        case "--network" -> network = value.toLowerCase(Locale.ROOT);
        case "--address" -> address = value;
        case "--log-format" -> format = value.toLowerCase(Locale.ROOT);
        case "--log-level" -> level = value.toLowerCase(Locale.ROOT);
        default -> {
          // --license, --otel-endpoint: meaningful for Go plugins only.
        }
      }
    }
    if (!network.equals("tcp") && !network.equals("unix")) {
      throw new IllegalArgumentException(
          "--network must be 'tcp' or 'unix', got '" + network + "'; " + USAGE);
    }
    if (!format.equals("json") && !format.equals("text")) {
      throw new IllegalArgumentException(
          "--log-format must be 'json' or 'text', got '" + format + "'; " + USAGE);
    }
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "--log-level must be one of " + LEVELS + ", got '" + level + "'; " + USAGE);
    }
    if (address == null) {
      if (network.equals("unix")) {
        throw new IllegalArgumentException(
            "--network unix needs --address <socket path>; " + USAGE);
      }
      address = "localhost:7777";
    }
    if (address.startsWith("unix:")) {
      // gRPC's own unix address form means a unix socket whatever --network says, as the JS and
      // Python SDKs bind it (the connector's plugin.network=grpc-unix passes --network tcp).
      network = "unix";
      address = address.substring("unix:".length()).replaceFirst("^//", "");
    }
    return new ServeArgs(network, address, format, level);
  }
}
