package io.cqconnect.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to launch a local plugin binary the way the CloudQuery CLI does; immutable,
 * built with {@link #builder(Path)}.
 */
public final class PluginLaunchSpec {

  /** Default time for a launched plugin to answer {@code GetVersions}. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  /** Default time between SIGTERM and SIGKILL when stopping (the CLI uses 5 s). */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);

  private final Path binary;
  private final String name;
  private final PluginNetwork network;
  private final String logLevel;
  private final List<String> extraArgs;
  private final Map<String, String> env;
  private final List<String> inheritEnv;
  private final Path workDir;
  private final Duration startTimeout;
  private final Duration callTimeout;
  private final int maxMessageBytes;
  private final Duration stopGrace;

  private PluginLaunchSpec(Builder b) {
    this.binary = b.binary;
    this.name = b.name != null ? b.name : b.binary.getFileName().toString();
    this.network = b.network;
    this.logLevel = b.logLevel;
    this.extraArgs = List.copyOf(b.extraArgs);
    this.env = Map.copyOf(b.env);
    this.inheritEnv = b.inheritEnv;
    this.workDir = b.workDir;
    this.startTimeout = b.startTimeout;
    this.callTimeout = b.callTimeout;
    this.maxMessageBytes = b.maxMessageBytes;
    this.stopGrace = b.stopGrace;
  }

  /** A builder for launching {@code binary}, with CLI-like defaults. */
  public static Builder builder(Path binary) {
    return new Builder(binary);
  }

  /** The executable. */
  public Path binary() {
    return binary;
  }

  /** Name used for the logger ({@code io.cqconnect.plugin.<name>}) and error messages. */
  public String name() {
    return name;
  }

  /** TCP or unix socket. */
  public PluginNetwork network() {
    return network;
  }

  /** Value of {@code --log-level}: trace, debug, info, warn or error. */
  public String logLevel() {
    return logLevel;
  }

  /** Extra arguments appended after the standard ones, e.g. {@code --no-sentry} for Go plugins. */
  public List<String> extraArgs() {
    return extraArgs;
  }

  /** Variables added to the inherited environment (after {@code CQ_TELEMETRY_LEVEL=none}). */
  public Map<String, String> env() {
    return env;
  }

  /** Worker variables (names, or prefixes ending in {@code *}) passed on beyond the base set. */
  public List<String> inheritEnv() {
    return inheritEnv;
  }

  /** Working directory; empty means a fresh temporary directory removed when the plugin stops. */
  public Optional<Path> workDir() {
    return Optional.ofNullable(workDir);
  }

  /** How long the plugin has to answer {@code GetVersions} after launch. */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** Deadline of each unary call of the {@link PluginClient}. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** gRPC message size limit, both directions. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** Time between SIGTERM and SIGKILL when stopping. */
  public Duration stopGrace() {
    return stopGrace;
  }

  @Override
  public String toString() {
    return "PluginLaunchSpec{binary=" + binary + ", name=" + name + ", network=" + network + "}";
  }

  /** Builder of {@link PluginLaunchSpec}. */
  public static final class Builder {
    private final Path binary;
    private String name;
    private PluginNetwork network = PluginNetwork.TCP;
    private String logLevel = "info";
    private List<String> extraArgs = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private List<String> inheritEnv = List.of();
    private Path workDir;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Duration callTimeout = PluginClient.DEFAULT_CALL_TIMEOUT;
    private int maxMessageBytes = PluginClient.DEFAULT_MAX_MESSAGE_BYTES;
    private Duration stopGrace = DEFAULT_STOP_GRACE;

    private Builder(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
    }

    /** Name for logs and errors; default the binary's file name. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** TCP (default) or unix socket. */
    public Builder network(PluginNetwork network) {
      this.network = Objects.requireNonNull(network, "network");
      return this;
    }

    /** {@code --log-level}; default {@code info}. */
    public Builder logLevel(String logLevel) {
      this.logLevel = Objects.requireNonNull(logLevel, "logLevel");
      return this;
    }

    /** Extra arguments; default none (pass {@code --no-sentry} for Go plugins). */
    public Builder extraArgs(List<String> extraArgs) {
      this.extraArgs = List.copyOf(extraArgs);
      return this;
    }

    /** Adds one environment variable for the plugin. */
    public Builder env(String key, String value) {
      this.env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds environment variables for the plugin. */
    public Builder env(Map<String, String> env) {
      env.forEach(this::env);
      return this;
    }

    /**
     * Worker variables to pass on beyond {@link PluginEnvironment#BASE}: names, or prefixes ending
     * in {@code *}; default none.
     */
    public Builder inheritEnv(List<String> inheritEnv) {
      this.inheritEnv = List.copyOf(inheritEnv);
      return this;
    }

    /** Working directory (kept after stop); default a temporary one removed on stop. */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /** Time to become ready; default 30 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = positive(startTimeout, "startTimeout");
      return this;
    }

    /** Deadline of unary calls; default 60 s. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = positive(callTimeout, "callTimeout");
      return this;
    }

    /** gRPC message size limit; default 200 MiB. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes <= 0) {
        throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** SIGTERM-to-SIGKILL grace; default 5 s. */
    public Builder stopGrace(Duration stopGrace) {
      this.stopGrace = Objects.requireNonNull(stopGrace, "stopGrace");
      return this;
    }

    /** The immutable spec. */
    public PluginLaunchSpec build() {
      return new PluginLaunchSpec(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
