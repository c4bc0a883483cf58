package io.cqconnect.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * The {@code plugin.*} settings shared by source and sink: which CloudQuery plugin to launch or
 * dial, its spec, and the timeouts and restart policy around it.
 */
public class PluginConfig extends AbstractConfig {

  /** Group of every key defined here. */
  public static final String PLUGIN_GROUP = "Plugin";

  public static final String PLUGIN_PATH_CONFIG = "plugin.path";
  public static final String PLUGIN_PATH_DOC =
      "Absolute path of a CloudQuery plugin binary on every worker; the task launches it with"
          + " 'serve'. Set this or plugin.address, not both.";
  public static final String PLUGIN_PATH_DISPLAY = "Plugin binary path";
  public static final String PLUGIN_PATH_DEFAULT = "";

  public static final String PLUGIN_ADDRESS_CONFIG = "plugin.address";
  public static final String PLUGIN_ADDRESS_DOC =
      "gRPC target of an already running plugin (CloudQuery's registry: grpc): host:port or"
          + " unix:///absolute/socket/path. Set this or plugin.path, not both.";
  public static final String PLUGIN_ADDRESS_DISPLAY = "Plugin address";
  public static final String PLUGIN_ADDRESS_DEFAULT = "";

  public static final String PLUGIN_NETWORK_CONFIG = "plugin.network";
  public static final String PLUGIN_NETWORK_DOC =
      "How a launched plugin listens: 'unix' (a socket in a private temporary directory, as the"
          + " CloudQuery CLI launches Go plugins), 'grpc-unix' (the same socket passed as gRPC's"
          + " 'unix:<path>' address with --network tcp: JavaScript and Python plugins) or 'tcp' (a"
          + " free loopback port: any plugin, but another local process can take or dial the port).";
  public static final String PLUGIN_NETWORK_DISPLAY = "Plugin network";
  public static final String PLUGIN_NETWORK_DEFAULT = PluginNetwork.UNIX.value();

  public static final String PLUGIN_ARGS_CONFIG = "plugin.args";
  public static final String PLUGIN_ARGS_DOC =
      "Extra arguments appended to '<binary> serve ...' of a launched plugin, for example"
          + " --no-sentry or --license /path.";
  public static final String PLUGIN_ARGS_DISPLAY = "Plugin extra arguments";
  public static final String PLUGIN_ARGS_DEFAULT = "";

  public static final String PLUGIN_INHERIT_ENV_CONFIG = "plugin.inherit.env";
  public static final String PLUGIN_INHERIT_ENV_DOC =
      "Worker environment variables a launched plugin inherits beyond the base set (PATH, HOME,"
          + " USER, LOGNAME, TMPDIR, TZ, LANG, LANGUAGE, LC_*, JAVA_HOME, the http/https/no/all"
          + " proxy variables in both cases, SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE,"
          + " CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS): names, or prefixes ending in '*', for example"
          + " AWS_*,GOOGLE_APPLICATION_CREDENTIALS. Nothing else of the worker's environment"
          + " reaches the plugin; CQ_* variables never do.";
  public static final String PLUGIN_INHERIT_ENV_DISPLAY = "Plugin inherited environment";
  public static final String PLUGIN_INHERIT_ENV_DEFAULT = "";

  /** Prefix of the environment variables given to a launched plugin. */
  public static final String PLUGIN_ENV_PREFIX = "plugin.env.";

  public static final String PLUGIN_ENV_DOC =
      "plugin.env.NAME=value sets the environment variable NAME of a launched plugin (on top of"
          + " the base set and plugin.inherit.env). Values may use config providers, e.g."
          + " ${env:AWS_REGION}.";

  public static final String PLUGIN_SPEC_CONFIG = "plugin.spec";
  public static final String PLUGIN_SPEC_DOC =
      "The plugin's own spec (the 'spec:' block of a CloudQuery YAML) as JSON; empty sends null,"
          + " as the CLI does. String values may reference ${NAME}, resolved from"
          + " plugin.spec.var.NAME (see below). A password type because specs carry credentials.";
  public static final String PLUGIN_SPEC_DISPLAY = "Plugin spec (JSON)";
  public static final String PLUGIN_SPEC_DEFAULT = "";

  /** Prefix of the variables referenced as {@code ${NAME}} inside {@code plugin.spec}. */
  public static final String PLUGIN_SPEC_VAR_PREFIX = "plugin.spec.var.";

  public static final String PLUGIN_SPEC_VAR_DOC =
      "plugin.spec.var.NAME holds the value of ${NAME} inside plugin.spec, inserted as a JSON"
          + " string after Connect's config providers resolved it (for example ${env:TOKEN} or"
          + " ${dir:/secrets:key.json}), so quotes and newlines in secrets cannot break the JSON.";

  public static final String PLUGIN_LOG_LEVEL_CONFIG = "plugin.log.level";
  public static final String PLUGIN_LOG_LEVEL_DOC =
      "--log-level of a launched plugin; its JSON log lines are forwarded to the worker log.";
  public static final String PLUGIN_LOG_LEVEL_DISPLAY = "Plugin log level";
  public static final String PLUGIN_LOG_LEVEL_DEFAULT = LogLevel.INFO.value();

  public static final String PLUGIN_START_TIMEOUT_MS_CONFIG = "plugin.start.timeout.ms";
  public static final String PLUGIN_START_TIMEOUT_MS_DOC =
      "How long a launched plugin may take to accept gRPC connections, or a dialed one to answer"
          + " GetVersions.";
  public static final String PLUGIN_START_TIMEOUT_MS_DISPLAY = "Plugin start timeout (ms)";
  public static final long PLUGIN_START_TIMEOUT_MS_DEFAULT = 30_000L;

  public static final String PLUGIN_STOP_GRACE_MS_CONFIG = "plugin.stop.grace.ms";
  public static final String PLUGIN_STOP_GRACE_MS_DOC =
      "After SIGTERM, how long a launched plugin may take to exit before it is killed.";
  public static final String PLUGIN_STOP_GRACE_MS_DISPLAY = "Plugin stop grace (ms)";
  public static final long PLUGIN_STOP_GRACE_MS_DEFAULT = 5_000L;

  public static final String PLUGIN_CALL_TIMEOUT_MS_CONFIG = "plugin.call.timeout.ms";
  public static final String PLUGIN_CALL_TIMEOUT_MS_DOC =
      "Deadline of every unary plugin call (Init, GetTables, Close, ...); streams are not bounded"
          + " by it. Some plugins hang instead of failing, so every call has one.";
  public static final String PLUGIN_CALL_TIMEOUT_MS_DISPLAY = "Plugin call timeout (ms)";
  public static final long PLUGIN_CALL_TIMEOUT_MS_DEFAULT = 60_000L;

  public static final String GRPC_MAX_MESSAGE_BYTES_CONFIG = "grpc.max.message.bytes";
  public static final String GRPC_MAX_MESSAGE_BYTES_DOC =
      "Largest gRPC message accepted from or sent to the plugin. The CloudQuery CLI and Go SDK use"
          + " 200 MiB; gRPC's own 4 MiB default is too small for wide tables.";
  public static final String GRPC_MAX_MESSAGE_BYTES_DISPLAY = "Max gRPC message (bytes)";
  public static final int GRPC_MAX_MESSAGE_BYTES_DEFAULT = 209_715_200;

  public static final String PLUGIN_RESTART_MAX_ATTEMPTS_CONFIG = "plugin.restart.max.attempts";
  public static final String PLUGIN_RESTART_MAX_ATTEMPTS_DOC =
      "How many times a crashed or unreachable plugin is restarted within one sync before the"
          + " task fails; 0 fails at once.";
  public static final String PLUGIN_RESTART_MAX_ATTEMPTS_DISPLAY = "Plugin restart attempts";
  public static final int PLUGIN_RESTART_MAX_ATTEMPTS_DEFAULT = 5;

  public static final String PLUGIN_RESTART_BACKOFF_INITIAL_MS_CONFIG =
      "plugin.restart.backoff.initial.ms";
  public static final String PLUGIN_RESTART_BACKOFF_INITIAL_MS_DOC =
      "Wait before the first plugin restart; doubled on each further attempt.";
  public static final String PLUGIN_RESTART_BACKOFF_INITIAL_MS_DISPLAY =
      "Plugin restart initial backoff (ms)";
  public static final long PLUGIN_RESTART_BACKOFF_INITIAL_MS_DEFAULT = 1_000L;

  public static final String PLUGIN_RESTART_BACKOFF_MAX_MS_CONFIG = "plugin.restart.backoff.max.ms";
  public static final String PLUGIN_RESTART_BACKOFF_MAX_MS_DOC =
      "Upper bound of the wait between plugin restarts.";
  public static final String PLUGIN_RESTART_BACKOFF_MAX_MS_DISPLAY =
      "Plugin restart max backoff (ms)";
  public static final long PLUGIN_RESTART_BACKOFF_MAX_MS_DEFAULT = 60_000L;

  /** The connector name Connect passes in every connector and task config. */
  public static final String CONNECTOR_NAME_CONFIG = "name";

  protected PluginConfig(ConfigDef definition, Map<?, ?> props) {
    super(definition, props);
  }

  /** Adds the {@code plugin.*} keys to {@code def} and returns it. */
  public static ConfigDef definePluginKeys(ConfigDef def) {
    int order = 0;
    return def.define(
            PLUGIN_PATH_CONFIG,
            Type.STRING,
            PLUGIN_PATH_DEFAULT,
            Importance.HIGH,
            PLUGIN_PATH_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.LONG,
            PLUGIN_PATH_DISPLAY)
        .define(
            PLUGIN_ADDRESS_CONFIG,
            Type.STRING,
            PLUGIN_ADDRESS_DEFAULT,
            ConfigValidators.grpcTarget(),
            Importance.HIGH,
            PLUGIN_ADDRESS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.LONG,
            PLUGIN_ADDRESS_DISPLAY)
        .define(
            PLUGIN_SPEC_CONFIG,
            Type.PASSWORD,
            PLUGIN_SPEC_DEFAULT,
            ConfigValidators.jsonObjectOrNull(),
            Importance.HIGH,
            PLUGIN_SPEC_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.LONG,
            PLUGIN_SPEC_DISPLAY)
        .define(
            PLUGIN_NETWORK_CONFIG,
            Type.STRING,
            PLUGIN_NETWORK_DEFAULT,
            EnumConfigs.validator(PluginNetwork.class),
            Importance.MEDIUM,
            PLUGIN_NETWORK_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_NETWORK_DISPLAY,
            EnumConfigs.recommender(PluginNetwork.class))
        .define(
            PLUGIN_ARGS_CONFIG,
            Type.LIST,
            PLUGIN_ARGS_DEFAULT,
            Importance.LOW,
            PLUGIN_ARGS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.LONG,
            PLUGIN_ARGS_DISPLAY)
        .define(
            PLUGIN_INHERIT_ENV_CONFIG,
            Type.LIST,
            PLUGIN_INHERIT_ENV_DEFAULT,
            Importance.LOW,
            PLUGIN_INHERIT_ENV_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.LONG,
            PLUGIN_INHERIT_ENV_DISPLAY)
        .define(
            PLUGIN_LOG_LEVEL_CONFIG,
            Type.STRING,
            PLUGIN_LOG_LEVEL_DEFAULT,
            EnumConfigs.validator(LogLevel.class),
            Importance.LOW,
            PLUGIN_LOG_LEVEL_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_LOG_LEVEL_DISPLAY,
            EnumConfigs.recommender(LogLevel.class))
        .define(
            PLUGIN_START_TIMEOUT_MS_CONFIG,
            Type.LONG,
            PLUGIN_START_TIMEOUT_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            PLUGIN_START_TIMEOUT_MS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_START_TIMEOUT_MS_DISPLAY)
        .define(
            PLUGIN_STOP_GRACE_MS_CONFIG,
            Type.LONG,
            PLUGIN_STOP_GRACE_MS_DEFAULT,
            Range.atLeast(0),
            Importance.LOW,
            PLUGIN_STOP_GRACE_MS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_STOP_GRACE_MS_DISPLAY)
        .define(
            PLUGIN_CALL_TIMEOUT_MS_CONFIG,
            Type.LONG,
            PLUGIN_CALL_TIMEOUT_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            PLUGIN_CALL_TIMEOUT_MS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_CALL_TIMEOUT_MS_DISPLAY)
        .define(
            GRPC_MAX_MESSAGE_BYTES_CONFIG,
            Type.INT,
            GRPC_MAX_MESSAGE_BYTES_DEFAULT,
            Range.atLeast(1024),
            Importance.LOW,
            GRPC_MAX_MESSAGE_BYTES_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            GRPC_MAX_MESSAGE_BYTES_DISPLAY)
        .define(
            PLUGIN_RESTART_MAX_ATTEMPTS_CONFIG,
            Type.INT,
            PLUGIN_RESTART_MAX_ATTEMPTS_DEFAULT,
            Range.atLeast(0),
            Importance.LOW,
            PLUGIN_RESTART_MAX_ATTEMPTS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_RESTART_MAX_ATTEMPTS_DISPLAY)
        .define(
            PLUGIN_RESTART_BACKOFF_INITIAL_MS_CONFIG,
            Type.LONG,
            PLUGIN_RESTART_BACKOFF_INITIAL_MS_DEFAULT,
            Range.atLeast(0),
            Importance.LOW,
            PLUGIN_RESTART_BACKOFF_INITIAL_MS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_RESTART_BACKOFF_INITIAL_MS_DISPLAY)
        .define(
            PLUGIN_RESTART_BACKOFF_MAX_MS_CONFIG,
            Type.LONG,
            PLUGIN_RESTART_BACKOFF_MAX_MS_DEFAULT,
            Range.atLeast(0),
            Importance.LOW,
            PLUGIN_RESTART_BACKOFF_MAX_MS_DOC,
            PLUGIN_GROUP,
            ++order,
            Width.SHORT,
            PLUGIN_RESTART_BACKOFF_MAX_MS_DISPLAY);
  }

  /**
   * Cross-field checks of the {@code plugin.*} keys: exactly one of path and address, the binary
   * exists on this worker, backoffs are ordered, every {@code ${NAME}} of the spec has its
   * variable. Single-key problems are left to the ConfigDef validators.
   */
  public static ConfigProblems validatePluginKeys(Map<String, String> props) {
    ConfigProblems problems = new ConfigProblems();
    String path = ConfigProps.trimmed(props, PLUGIN_PATH_CONFIG);
    String address = ConfigProps.trimmed(props, PLUGIN_ADDRESS_CONFIG);
    if (!path.isEmpty() && !address.isEmpty()) {
      String message =
          "set either plugin.path (a plugin binary to launch) or plugin.address (a running plugin"
              + " to dial), not both";
      problems.add(PLUGIN_PATH_CONFIG, message).add(PLUGIN_ADDRESS_CONFIG, message);
    } else if (path.isEmpty() && address.isEmpty()) {
      String message =
          "set plugin.path (absolute path of a plugin binary on every worker) or plugin.address"
              + " (host:port or unix:///path of a running plugin)";
      problems.add(PLUGIN_PATH_CONFIG, message).add(PLUGIN_ADDRESS_CONFIG, message);
    } else if (!path.isEmpty()) {
      String problem = ConfigProps.binaryProblem(path);
      if (problem != null) {
        problems.add(PLUGIN_PATH_CONFIG, "plugin.path " + problem);
      }
    }
    Long initial = ConfigProps.parseLong(props, PLUGIN_RESTART_BACKOFF_INITIAL_MS_CONFIG);
    Long max = ConfigProps.parseLong(props, PLUGIN_RESTART_BACKOFF_MAX_MS_CONFIG);
    long effectiveInitial = initial == null ? PLUGIN_RESTART_BACKOFF_INITIAL_MS_DEFAULT : initial;
    long effectiveMax = max == null ? PLUGIN_RESTART_BACKOFF_MAX_MS_DEFAULT : max;
    if (effectiveInitial > effectiveMax) {
      problems.add(
          PLUGIN_RESTART_BACKOFF_INITIAL_MS_CONFIG,
          PLUGIN_RESTART_BACKOFF_INITIAL_MS_CONFIG
              + " ("
              + effectiveInitial
              + ") must not exceed "
              + PLUGIN_RESTART_BACKOFF_MAX_MS_CONFIG
              + " ("
              + effectiveMax
              + ")");
    }
    String missing =
        SpecTemplate.missingVariablesProblem(
            props.get(PLUGIN_SPEC_CONFIG),
            ConfigProps.withPrefix(props, PLUGIN_SPEC_VAR_PREFIX),
            PLUGIN_SPEC_VAR_PREFIX);
    if (missing != null) {
      problems.add(PLUGIN_SPEC_CONFIG, PLUGIN_SPEC_CONFIG + " " + missing);
    }
    return problems;
  }

  /** The binary to launch; empty when the plugin is dialed at {@link #pluginAddress()}. */
  public Optional<String> pluginPath() {
    return ConfigProps.nonEmpty(getString(PLUGIN_PATH_CONFIG));
  }

  /** The gRPC target of a running plugin; empty when the plugin is launched. */
  public Optional<String> pluginAddress() {
    return ConfigProps.nonEmpty(getString(PLUGIN_ADDRESS_CONFIG));
  }

  /** How a launched plugin listens. */
  public PluginNetwork pluginNetwork() {
    return PluginNetwork.fromString(getString(PLUGIN_NETWORK_CONFIG));
  }

  /** Extra {@code serve} arguments of a launched plugin. */
  public List<String> pluginArgs() {
    return List.copyOf(getList(PLUGIN_ARGS_CONFIG));
  }

  /** Worker variables a launched plugin inherits beyond the base set (names or {@code P*}). */
  public List<String> pluginInheritEnv() {
    return List.copyOf(getList(PLUGIN_INHERIT_ENV_CONFIG));
  }

  /** Environment variables for a launched plugin ({@code plugin.env.NAME=value}). */
  public Map<String, String> pluginEnv() {
    return stringsWithPrefix(PLUGIN_ENV_PREFIX);
  }

  /**
   * The spec to send in {@code Init}: compact JSON with {@code ${NAME}} references resolved from
   * {@code plugin.spec.var.*}; {@code null} (the JSON text) when empty. Never log it.
   *
   * @throws org.apache.kafka.common.config.ConfigException when a reference cannot be resolved
   */
  public String pluginSpec() {
    return SpecTemplate.resolve(
        PLUGIN_SPEC_CONFIG, password(PLUGIN_SPEC_CONFIG), pluginSpecVars(), PLUGIN_SPEC_VAR_PREFIX);
  }

  /** The variables referenced from {@code plugin.spec}, by name. */
  public Map<String, String> pluginSpecVars() {
    return stringsWithPrefix(PLUGIN_SPEC_VAR_PREFIX);
  }

  /** {@code --log-level} of a launched plugin. */
  public LogLevel pluginLogLevel() {
    return LogLevel.fromString(getString(PLUGIN_LOG_LEVEL_CONFIG));
  }

  /** How long a plugin may take to become reachable. */
  public Duration pluginStartTimeout() {
    return Duration.ofMillis(getLong(PLUGIN_START_TIMEOUT_MS_CONFIG));
  }

  /** How long after SIGTERM a launched plugin may take to exit. */
  public Duration pluginStopGrace() {
    return Duration.ofMillis(getLong(PLUGIN_STOP_GRACE_MS_CONFIG));
  }

  /** Deadline of every unary plugin call. */
  public Duration pluginCallTimeout() {
    return Duration.ofMillis(getLong(PLUGIN_CALL_TIMEOUT_MS_CONFIG));
  }

  /** Largest gRPC message in either direction. */
  public int grpcMaxMessageBytes() {
    return getInt(GRPC_MAX_MESSAGE_BYTES_CONFIG);
  }

  /** Plugin restarts allowed within one sync. */
  public int pluginRestartMaxAttempts() {
    return getInt(PLUGIN_RESTART_MAX_ATTEMPTS_CONFIG);
  }

  /** Wait before the first restart. */
  public Duration pluginRestartBackoffInitial() {
    return Duration.ofMillis(getLong(PLUGIN_RESTART_BACKOFF_INITIAL_MS_CONFIG));
  }

  /** Upper bound of the wait between restarts. */
  public Duration pluginRestartBackoffMax() {
    return Duration.ofMillis(getLong(PLUGIN_RESTART_BACKOFF_MAX_MS_CONFIG));
  }

  /** The connector name ({@code name}, passed by Connect), or empty when absent (in tests). */
  public String connectorName() {
    Object name = originals().get(CONNECTOR_NAME_CONFIG);
    return name == null ? "" : name.toString();
  }

  /** The value of a PASSWORD key, empty when unset. Never log it. */
  protected String password(String key) {
    Password password = getPassword(key);
    return password == null || password.value() == null ? "" : password.value();
  }

  /** Originals under {@code prefix} (prefix stripped) as strings. */
  protected Map<String, String> stringsWithPrefix(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    originalsWithPrefix(prefix).forEach((k, v) -> out.put(k, v == null ? "" : v.toString()));
    return Collections.unmodifiableMap(out);
  }
}
