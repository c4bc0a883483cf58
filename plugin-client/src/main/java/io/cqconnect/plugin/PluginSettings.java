package io.cqconnect.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open one plugin, in plain values: launch {@code binary} or dial {@code address} (exactly
 * one is present), how to launch it, the limits of each call, and the spec its {@code Init} gets.
 *
 * @param binary the plugin executable to launch; empty when the plugin is dialled
 * @param address the gRPC target of a running plugin; empty when the plugin is launched
 * @param network how a launched plugin listens
 * @param args extra arguments of a launched plugin
 * @param env variables added to a launched plugin's environment
 * @param inheritEnv worker variables (names, or prefixes ending in {@code *}) a launched plugin
 *     inherits beyond {@link PluginEnvironment#BASE}
 * @param logLevel a launched plugin's {@code --log-level}
 * @param startTimeout how long the plugin has to answer after launch or dial
 * @param callTimeout deadline of each unary call
 * @param stopGrace time between SIGTERM and SIGKILL when a launched plugin stops
 * @param maxMessageBytes gRPC message size limit, both directions
 * @param spec the plugin spec (JSON) sent with {@code Init} and {@code TestConnection}
 */
public record PluginSettings(
    Optional<Path> binary,
    Optional<String> address,
    PluginNetwork network,
    List<String> args,
    Map<String, String> env,
    List<String> inheritEnv,
    String logLevel,
    Duration startTimeout,
    Duration callTimeout,
    Duration stopGrace,
    int maxMessageBytes,
    String spec) {

  /** Checks that exactly one of binary and address is given and copies the collections. */
  public PluginSettings {
    if (binary.isPresent() == address.isPresent()) {
      throw new IllegalArgumentException(
          "give a plugin either a binary to launch or an address to dial, not "
              + (binary.isPresent() ? "both" : "neither"));
    }
    Objects.requireNonNull(network, "network");
    args = List.copyOf(args);
    env = Map.copyOf(env);
    inheritEnv = List.copyOf(inheritEnv);
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(stopGrace, "stopGrace");
    Objects.requireNonNull(spec, "spec");
  }

  /**
   * The same plugin with other start and call deadlines (a validate-time probe uses short ones).
   */
  public PluginSettings withTimeouts(Duration start, Duration call) {
    return new PluginSettings(
        binary,
        address,
        network,
        args,
        env,
        inheritEnv,
        logLevel,
        start,
        call,
        stopGrace,
        maxMessageBytes,
        spec);
  }

  /** The launch description of {@link #binary()}, named {@code name} in logs and errors. */
  PluginLaunchSpec launchSpec(String name) {
    return PluginLaunchSpec.builder(binary.orElseThrow())
        .name(name)
        .network(network)
        .extraArgs(args)
        .env(env)
        .inheritEnv(inheritEnv)
        .logLevel(logLevel)
        .startTimeout(startTimeout)
        .stopGrace(stopGrace)
        .callTimeout(callTimeout)
        .maxMessageBytes(maxMessageBytes)
        .build();
  }
}
