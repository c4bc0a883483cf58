package io.cqconnect.config;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The {@code state.*} keys of the source connector: the state bridge's table name, its topic and
 * the mirror of the state table. {@link SourceConfig} holds their typed getters.
 */
public final class SourceStateKeys {

  public static final String STATE_GROUP = "State";

  public static final String STATE_TABLE_NAME_CONFIG = "state.table.name";
  public static final String STATE_TABLE_NAME_DOC =
      "CloudQuery's backend_options.table_name: the state table of incremental tables. Empty"
          + " disables the state bridge (incremental tables then resync from scratch).";
  public static final String STATE_TABLE_NAME_DISPLAY = "State table name";
  public static final String STATE_TABLE_NAME_DEFAULT = "";

  public static final String STATE_TOPIC_CONFIG = "state.topic";
  public static final String STATE_TOPIC_DOC =
      "Compacted topic receiving one record per committed state key. Empty means"
          + " <topic.prefix>cq_state.";
  public static final String STATE_TOPIC_DISPLAY = "State topic";
  public static final String STATE_TOPIC_DEFAULT = "";

  public static final String STATE_ENDPOINT_HOST_CONFIG = "state.endpoint.host";
  public static final String STATE_ENDPOINT_HOST_DOC =
      "Address of this worker that a plugin reached over plugin.address can dial to write its"
          + " cursors (the task listens there on a fresh port each sync; the endpoint has no"
          + " authentication, so use an address only the plugin can reach). Required with"
          + " plugin.address and state.table.name; a launched plugin (plugin.path) always writes"
          + " to a unix socket in a directory only the worker's user can enter.";
  public static final String STATE_ENDPOINT_HOST_DISPLAY = "State endpoint host";
  public static final String STATE_ENDPOINT_HOST_DEFAULT = "";

  public static final String STATE_MIRROR_ADDRESS_CONFIG = "state.mirror.address";
  public static final String STATE_MIRROR_ADDRESS_DOC =
      "gRPC target (host:port or unix:///path) of a running destination plugin, or a"
          + " cq-state-server, that holds the state table mirror.";
  public static final String STATE_MIRROR_ADDRESS_DISPLAY = "State mirror address";
  public static final String STATE_MIRROR_ADDRESS_DEFAULT = "";

  public static final String STATE_MIRROR_PATH_CONFIG = "state.mirror.path";
  public static final String STATE_MIRROR_PATH_DOC =
      "Absolute path of a destination plugin binary the task launches to write the state table"
          + " mirror.";
  public static final String STATE_MIRROR_PATH_DISPLAY = "State mirror plugin path";
  public static final String STATE_MIRROR_PATH_DEFAULT = "";

  public static final String STATE_MIRROR_ARGS_CONFIG = "state.mirror.args";
  public static final String STATE_MIRROR_ARGS_DOC =
      "Extra arguments appended to '<state.mirror.path> serve ...', for example --no-sentry.";
  public static final String STATE_MIRROR_ARGS_DISPLAY = "State mirror plugin arguments";
  public static final String STATE_MIRROR_ARGS_DEFAULT = "";

  public static final String STATE_MIRROR_SPEC_CONFIG = "state.mirror.spec";
  public static final String STATE_MIRROR_SPEC_DOC =
      "Spec (JSON) sent in Init to the mirror's destination plugin; ${NAME} references are"
          + " resolved from state.mirror.spec.var.NAME.";
  public static final String STATE_MIRROR_SPEC_DISPLAY = "State mirror plugin spec (JSON)";
  public static final String STATE_MIRROR_SPEC_DEFAULT = "";

  /** Prefix of the variables referenced as {@code ${NAME}} inside {@code state.mirror.spec}. */
  public static final String STATE_MIRROR_SPEC_VAR_PREFIX = "state.mirror.spec.var.";

  public static final String STATE_MIRROR_SPEC_VAR_DOC =
      "state.mirror.spec.var.NAME holds the value of ${NAME} inside state.mirror.spec, as"
          + " plugin.spec.var.NAME does for plugin.spec.";

  public static final String STATE_MIRROR_JDBC_URL_CONFIG = "state.mirror.jdbc.url";
  public static final String STATE_MIRROR_JDBC_URL_DOC =
      "JDBC URL of a state table mirror written directly: jdbc:sqlite:<file> or"
          + " jdbc:postgresql://host:port/db. A PASSWORD key, because PostgreSQL URLs may carry"
          + " password=: Connect shows it as [hidden]; put the password in"
          + " state.mirror.jdbc.password.";
  public static final String STATE_MIRROR_JDBC_URL_DISPLAY = "State mirror JDBC URL";
  public static final String STATE_MIRROR_JDBC_URL_DEFAULT = "";

  public static final String STATE_MIRROR_JDBC_USER_CONFIG = "state.mirror.jdbc.user";
  public static final String STATE_MIRROR_JDBC_USER_DOC = "User of state.mirror.jdbc.url.";
  public static final String STATE_MIRROR_JDBC_USER_DISPLAY = "State mirror JDBC user";
  public static final String STATE_MIRROR_JDBC_USER_DEFAULT = "";

  public static final String STATE_MIRROR_JDBC_PASSWORD_CONFIG = "state.mirror.jdbc.password";
  public static final String STATE_MIRROR_JDBC_PASSWORD_DOC = "Password of state.mirror.jdbc.url.";
  public static final String STATE_MIRROR_JDBC_PASSWORD_DISPLAY = "State mirror JDBC password";
  public static final String STATE_MIRROR_JDBC_PASSWORD_DEFAULT = "";

  public static final String STATE_MIRROR_ADOPT_NEWER_CONFIG = "state.mirror.adopt.newer";
  public static final String STATE_MIRROR_ADOPT_NEWER_DOC =
      "Whether a task starts from a cursor the mirrored state table holds at a higher version than"
          + " Connect's offsets (or that Connect has not committed). true (default): adopt it, which"
          + " is how a source resumes after the CloudQuery CLI synced it; each adopted key is logged"
          + " at WARN and counted (state-keys-adopted). false: the task fails naming the keys and"
          + " versions, for sources never handed to the CLI, where a newer table means a mirror"
          + " pointed at the wrong database or a state table shared by two sources (adopting would"
          + " skip rows Kafka never got).";
  public static final String STATE_MIRROR_ADOPT_NEWER_DISPLAY = "Adopt newer mirrored cursors";
  public static final boolean STATE_MIRROR_ADOPT_NEWER_DEFAULT = true;

  public static final String STATE_MIRROR_RETRY_MS_CONFIG = "state.mirror.retry.ms";
  public static final String STATE_MIRROR_RETRY_MS_DOC =
      "Wait before retrying a failed mirror write; a failing mirror never blocks the sync.";
  public static final String STATE_MIRROR_RETRY_MS_DISPLAY = "State mirror retry (ms)";
  public static final long STATE_MIRROR_RETRY_MS_DEFAULT = 10_000L;

  /** Default state topic name, after the topic prefix. */
  public static final String STATE_TOPIC_SUFFIX = "cq_state";

  private SourceStateKeys() {}

  /** Adds the {@code state.*} keys to {@code def} and returns it. */
  public static ConfigDef define(ConfigDef def) {
    int order = 0;
    return def.define(
            STATE_TABLE_NAME_CONFIG,
            Type.STRING,
            STATE_TABLE_NAME_DEFAULT,
            Importance.HIGH,
            STATE_TABLE_NAME_DOC,
            STATE_GROUP,
            ++order,
            Width.MEDIUM,
            STATE_TABLE_NAME_DISPLAY)
        .define(
            STATE_TOPIC_CONFIG,
            Type.STRING,
            STATE_TOPIC_DEFAULT,
            ConfigValidators.topicChars(),
            Importance.MEDIUM,
            STATE_TOPIC_DOC,
            STATE_GROUP,
            ++order,
            Width.MEDIUM,
            STATE_TOPIC_DISPLAY)
        .define(
            STATE_ENDPOINT_HOST_CONFIG,
            Type.STRING,
            STATE_ENDPOINT_HOST_DEFAULT,
            Importance.MEDIUM,
            STATE_ENDPOINT_HOST_DOC,
            STATE_GROUP,
            ++order,
            Width.MEDIUM,
            STATE_ENDPOINT_HOST_DISPLAY)
        .define(
            STATE_MIRROR_ADDRESS_CONFIG,
            Type.STRING,
            STATE_MIRROR_ADDRESS_DEFAULT,
            ConfigValidators.grpcTarget(),
            Importance.MEDIUM,
            STATE_MIRROR_ADDRESS_DOC,
            STATE_GROUP,
            ++order,
            Width.LONG,
            STATE_MIRROR_ADDRESS_DISPLAY)
        .define(
            STATE_MIRROR_PATH_CONFIG,
            Type.STRING,
            STATE_MIRROR_PATH_DEFAULT,
            Importance.MEDIUM,
            STATE_MIRROR_PATH_DOC,
            STATE_GROUP,
            ++order,
            Width.LONG,
            STATE_MIRROR_PATH_DISPLAY)
        .define(
            STATE_MIRROR_ARGS_CONFIG,
            Type.LIST,
            STATE_MIRROR_ARGS_DEFAULT,
            Importance.LOW,
            STATE_MIRROR_ARGS_DOC,
            STATE_GROUP,
            ++order,
            Width.LONG,
            STATE_MIRROR_ARGS_DISPLAY)
        .define(
            STATE_MIRROR_SPEC_CONFIG,
            Type.PASSWORD,
            STATE_MIRROR_SPEC_DEFAULT,
            ConfigValidators.jsonObjectOrNull(),
            Importance.MEDIUM,
            STATE_MIRROR_SPEC_DOC,
            STATE_GROUP,
            ++order,
            Width.LONG,
            STATE_MIRROR_SPEC_DISPLAY)
        .define(
            STATE_MIRROR_JDBC_URL_CONFIG,
            Type.PASSWORD,
            STATE_MIRROR_JDBC_URL_DEFAULT,
            ConfigValidators.jdbcUrl(),
            Importance.MEDIUM,
            STATE_MIRROR_JDBC_URL_DOC,
            STATE_GROUP,
            ++order,
            Width.LONG,
            STATE_MIRROR_JDBC_URL_DISPLAY)
        .define(
            STATE_MIRROR_JDBC_USER_CONFIG,
            Type.STRING,
            STATE_MIRROR_JDBC_USER_DEFAULT,
            Importance.LOW,
            STATE_MIRROR_JDBC_USER_DOC,
            STATE_GROUP,
            ++order,
            Width.MEDIUM,
            STATE_MIRROR_JDBC_USER_DISPLAY)
        .define(
            STATE_MIRROR_JDBC_PASSWORD_CONFIG,
            Type.PASSWORD,
            STATE_MIRROR_JDBC_PASSWORD_DEFAULT,
            Importance.LOW,
            STATE_MIRROR_JDBC_PASSWORD_DOC,
            STATE_GROUP,
            ++order,
            Width.MEDIUM,
            STATE_MIRROR_JDBC_PASSWORD_DISPLAY)
        .define(
            STATE_MIRROR_RETRY_MS_CONFIG,
            Type.LONG,
            STATE_MIRROR_RETRY_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            STATE_MIRROR_RETRY_MS_DOC,
            STATE_GROUP,
            ++order,
            Width.SHORT,
            STATE_MIRROR_RETRY_MS_DISPLAY)
        .define(
            STATE_MIRROR_ADOPT_NEWER_CONFIG,
            Type.BOOLEAN,
            STATE_MIRROR_ADOPT_NEWER_DEFAULT,
            Importance.MEDIUM,
            STATE_MIRROR_ADOPT_NEWER_DOC,
            STATE_GROUP,
            ++order,
            Width.SHORT,
            STATE_MIRROR_ADOPT_NEWER_DISPLAY);
  }

  /**
   * Cross-field checks of the state keys: at most one mirror kind, mirror settings only with a
   * state table, a launchable mirror binary, mirror spec variables, JDBC credentials only with a
   * JDBC URL.
   */
  static void validate(Map<String, String> props, ConfigProblems problems) {
    String tableName = ConfigProps.trimmed(props, STATE_TABLE_NAME_CONFIG);
    List<String> mirrors =
        List.of(STATE_MIRROR_ADDRESS_CONFIG, STATE_MIRROR_PATH_CONFIG, STATE_MIRROR_JDBC_URL_CONFIG)
            .stream()
            .filter(key -> !ConfigProps.trimmed(props, key).isEmpty())
            .toList();
    if (mirrors.size() > 1) {
      String message =
          "set at most one of state.mirror.address, state.mirror.path and state.mirror.jdbc.url"
              + " (found "
              + String.join(", ", mirrors)
              + ")";
      mirrors.forEach(key -> problems.add(key, message));
    }
    if (tableName.isEmpty()) {
      for (String key : mirrors) {
        problems.add(
            key, key + " has no effect without state.table.name; set the state table name");
      }
    }
    boolean dialled = !ConfigProps.trimmed(props, PluginConfig.PLUGIN_ADDRESS_CONFIG).isEmpty();
    boolean endpointHost = !ConfigProps.trimmed(props, STATE_ENDPOINT_HOST_CONFIG).isEmpty();
    if (dialled && !tableName.isEmpty() && !endpointHost) {
      problems.add(
          STATE_ENDPOINT_HOST_CONFIG,
          "a plugin reached over plugin.address cannot dial the worker's private unix socket to"
              + " write its cursors; set state.endpoint.host to an address of this worker the"
              + " plugin can reach (127.0.0.1 when it runs on the same host)");
    }
    if (endpointHost && !dialled) {
      problems.add(
          STATE_ENDPOINT_HOST_CONFIG,
          "state.endpoint.host is used only with plugin.address (a launched plugin writes to a"
              + " private unix socket); remove it");
    }
    String mirrorPath = ConfigProps.trimmed(props, STATE_MIRROR_PATH_CONFIG);
    if (!mirrorPath.isEmpty()) {
      String problem = ConfigProps.binaryProblem(mirrorPath);
      if (problem != null) {
        problems.add(STATE_MIRROR_PATH_CONFIG, STATE_MIRROR_PATH_CONFIG + " " + problem);
      }
    }
    boolean pluginMirror =
        !ConfigProps.trimmed(props, STATE_MIRROR_ADDRESS_CONFIG).isEmpty() || !mirrorPath.isEmpty();
    if (!ConfigProps.trimmed(props, STATE_MIRROR_SPEC_CONFIG).isEmpty() && !pluginMirror) {
      problems.add(
          STATE_MIRROR_SPEC_CONFIG,
          "state.mirror.spec is sent to a destination plugin only: set state.mirror.path or"
              + " state.mirror.address, or remove it");
    }
    String missing =
        SpecTemplate.missingVariablesProblem(
            props.get(STATE_MIRROR_SPEC_CONFIG),
            ConfigProps.withPrefix(props, STATE_MIRROR_SPEC_VAR_PREFIX),
            STATE_MIRROR_SPEC_VAR_PREFIX);
    if (missing != null) {
      problems.add(STATE_MIRROR_SPEC_CONFIG, STATE_MIRROR_SPEC_CONFIG + " " + missing);
    }
    if (ConfigProps.trimmed(props, STATE_MIRROR_JDBC_URL_CONFIG).isEmpty()) {
      for (String key : List.of(STATE_MIRROR_JDBC_USER_CONFIG, STATE_MIRROR_JDBC_PASSWORD_CONFIG)) {
        if (!ConfigProps.trimmed(props, key).isEmpty()) {
          problems.add(key, key + " is used only with state.mirror.jdbc.url; set that too");
        }
      }
    }
  }
}
