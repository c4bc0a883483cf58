package io.cqconnect.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the CloudQuery source connector: plugin, table selection, topics, sync, state.
 */
public class SourceConfig extends PluginConfig {

  /** The {@code connector.class} of the source connector (the translator and docs name it). */
  public static final String CONNECTOR_CLASS = "io.cqconnect.source.CloudQuerySourceConnector";

  public static final String TABLES_GROUP = "Tables";
  public static final String TOPICS_GROUP = "Topics";
  public static final String SYNC_GROUP = "Sync";

  public static final String SOURCE_NAME_CONFIG = "source.name";
  public static final String SOURCE_NAME_DOC =
      "The CloudQuery source name: written to the cq.source header (and so to _cq_source_name at"
          + " the destination) and part of every state offset. Empty means the connector name.";
  public static final String SOURCE_NAME_DISPLAY = "Source name";
  public static final String SOURCE_NAME_DEFAULT = "";

  public static final String TABLES_CONFIG = "tables";
  public static final String TABLES_DOC =
      "Tables to sync, as CloudQuery glob patterns ('*' for all). Selecting a child table pulls"
          + " in its parents.";
  public static final String TABLES_DISPLAY = "Tables";
  public static final String TABLES_DEFAULT = "*";

  public static final String SKIP_TABLES_CONFIG = "skip.tables";
  public static final String SKIP_TABLES_DOC = "Tables not to sync, as glob patterns.";
  public static final String SKIP_TABLES_DISPLAY = "Skip tables";
  public static final String SKIP_TABLES_DEFAULT = "";

  public static final String SKIP_DEPENDENT_TABLES_CONFIG = "skip.dependent.tables";
  public static final String SKIP_DEPENDENT_TABLES_DOC =
      "When true, child tables are synced only if 'tables' matches them too (the CLI v6"
          + " default).";
  public static final String SKIP_DEPENDENT_TABLES_DISPLAY = "Skip dependent tables";
  public static final boolean SKIP_DEPENDENT_TABLES_DEFAULT = true;

  public static final String DETERMINISTIC_CQ_ID_CONFIG = "deterministic.cq.id";
  public static final String DETERMINISTIC_CQ_ID_DOC =
      "When true, the plugin derives _cq_id from the primary keys (or the whole row) instead of a"
          + " random UUID.";
  public static final String DETERMINISTIC_CQ_ID_DISPLAY = "Deterministic _cq_id";
  public static final boolean DETERMINISTIC_CQ_ID_DEFAULT = false;

  public static final String TABLES_DISCOVERY_INTERVAL_MS_CONFIG = "tables.discovery.interval.ms";
  public static final String TABLES_DISCOVERY_INTERVAL_MS_DOC =
      "With tasks.max above 1 and table.split=table: how often a background thread of the"
          + " connector asks the plugin (GetTables) which tables 'tables' and 'skip.tables' select."
          + " When the selected tables change, the tasks are reconfigured, so new tables are synced"
          + " without a restart. 0 asks once, when the connector starts. A failed discovery is"
          + " logged and retried after plugin.restart.backoff.initial.ms, doubling up to"
          + " plugin.restart.backoff.max.ms; meanwhile the tasks keep the last discovered tables.";
  public static final String TABLES_DISCOVERY_INTERVAL_MS_DISPLAY = "Table discovery interval (ms)";
  public static final long TABLES_DISCOVERY_INTERVAL_MS_DEFAULT = 300_000L;

  public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
  public static final String TOPIC_PREFIX_DOC =
      "Prepended to the table name to form its topic, e.g. 'aws.' gives 'aws.aws_ec2_instances'.";
  public static final String TOPIC_PREFIX_DISPLAY = "Topic prefix";
  public static final String TOPIC_PREFIX_DEFAULT = "";

  public static final String TOPIC_RENAME_CONFIG = "topic.rename";
  public static final String TOPIC_RENAME_DOC =
      "table:topic pairs overriding the topic of single tables (the prefix is not applied).";
  public static final String TOPIC_RENAME_DISPLAY = "Topic per table";
  public static final String TOPIC_RENAME_DEFAULT = "";

  public static final String TIMESTAMP_PRECISION_CONFIG = "timestamp.precision";
  public static final String TIMESTAMP_PRECISION_DOC =
      "How Arrow timestamp columns (CloudQuery's are microseconds) appear in records."
          + " 'milliseconds': Connect's Timestamp logical type, which drops the digits below the"
          + " millisecond, so keys that differ only there collide downstream. 'exact':"
          + " an INT64 counting the column's Arrow unit since the epoch, schema name"
          + " io.cqconnect.data.Timestamp, unit and zone in the cq.arrow.type schema parameter;"
          + " every digit survives to the sink connector, but converters, SMTs and consumers see"
          + " a plain INT64 rather than a Connect Timestamp.";
  public static final String TIMESTAMP_PRECISION_DISPLAY = "Timestamp precision";
  public static final String TIMESTAMP_PRECISION_DEFAULT = TimestampPrecision.MILLISECONDS.value();

  public static final String SYNC_INTERVAL_MS_CONFIG = "sync.interval.ms";
  public static final String SYNC_INTERVAL_MS_DOC =
      "Time from the start of one sync to the start of the next (a sync that takes longer is"
          + " followed at once, and never before its cursors are committed). The last committed"
          + " sync's start is kept in the Connect offsets, so a task restarted or moved within the"
          + " interval waits for its end instead of syncing again. 0 syncs once at every task start"
          + " and then idles. Leave it unset when sync.schedule is set.";
  public static final String SYNC_INTERVAL_MS_DISPLAY = "Sync interval (ms)";
  public static final long SYNC_INTERVAL_MS_DEFAULT = 0L;

  public static final String SYNC_MARKERS_CONFIG = "sync.markers";
  public static final String SYNC_MARKERS_DOC =
      "Write an end-of-sync marker to each table's topic after a sync ended cleanly: a record"
          + " with the string key cq.sync-end/<source>/<table> (so compacted topics accept it), a"
          + " null value and the header cq.control=sync-end (plus cq.table, cq.source,"
          + " cq.sync.time, cq.incremental, cq.delete.stale, cq.schema). The sink connector needs"
          + " it for write.mode=overwrite-delete-stale; turn it off when other consumers cannot"
          + " skip it.";
  public static final String SYNC_MARKERS_DISPLAY = "End-of-sync markers";
  public static final boolean SYNC_MARKERS_DEFAULT = true;

  public static final String QUEUE_MAX_MESSAGES_CONFIG = "queue.max.messages";
  public static final String QUEUE_MAX_MESSAGES_DOC =
      "Capacity of the queue between the Sync reader thread and poll(), in Sync messages; when"
          + " full, gRPC flow control holds the plugin back. Bounds the task's memory.";
  public static final String QUEUE_MAX_MESSAGES_DISPLAY = "Queue capacity (messages)";
  public static final int QUEUE_MAX_MESSAGES_DEFAULT = 64;

  public static final String POLL_MAX_RECORDS_CONFIG = "poll.max.records";
  public static final String POLL_MAX_RECORDS_DOC = "Most records returned by one poll().";
  public static final String POLL_MAX_RECORDS_DISPLAY = "Max records per poll";
  public static final int POLL_MAX_RECORDS_DEFAULT = 10_000;

  public static final String TABLE_SPLIT_CONFIG = "table.split";
  public static final String TABLE_SPLIT_DOC =
      "With tasks.max above 1: 'table' divides the top-level tables (children follow their"
          + " parents) between tasks; 'shard' lets every task sync all tables with the protocol's"
          + " shard {num, total}.";
  public static final String TABLE_SPLIT_DISPLAY = "Task split";
  public static final String TABLE_SPLIT_DEFAULT = TableSplit.TABLE.value();

  private static final ConfigDef CONFIG_DEF = defineSourceKeys(definePluginKeys(new ConfigDef()));

  /** Parses and validates connector-level properties. */
  public SourceConfig(Map<?, ?> props) {
    this(CONFIG_DEF, props);
  }

  protected SourceConfig(ConfigDef definition, Map<?, ?> props) {
    super(definition, props);
  }

  /** The user-facing keys of the source connector (a fresh copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  /** Adds the source keys (everything but {@code plugin.*}) to {@code def} and returns it. */
  public static ConfigDef defineSourceKeys(ConfigDef def) {
    int order = 0;
    def.define(
            SOURCE_NAME_CONFIG,
            Type.STRING,
            SOURCE_NAME_DEFAULT,
            Importance.MEDIUM,
            SOURCE_NAME_DOC,
            TABLES_GROUP,
            ++order,
            Width.MEDIUM,
            SOURCE_NAME_DISPLAY)
        .define(
            TABLES_CONFIG,
            Type.LIST,
            TABLES_DEFAULT,
            ConfigValidators.nonEmptyList(),
            Importance.HIGH,
            TABLES_DOC,
            TABLES_GROUP,
            ++order,
            Width.LONG,
            TABLES_DISPLAY)
        .define(
            SKIP_TABLES_CONFIG,
            Type.LIST,
            SKIP_TABLES_DEFAULT,
            Importance.MEDIUM,
            SKIP_TABLES_DOC,
            TABLES_GROUP,
            ++order,
            Width.LONG,
            SKIP_TABLES_DISPLAY)
        .define(
            SKIP_DEPENDENT_TABLES_CONFIG,
            Type.BOOLEAN,
            SKIP_DEPENDENT_TABLES_DEFAULT,
            Importance.MEDIUM,
            SKIP_DEPENDENT_TABLES_DOC,
            TABLES_GROUP,
            ++order,
            Width.SHORT,
            SKIP_DEPENDENT_TABLES_DISPLAY)
        .define(
            DETERMINISTIC_CQ_ID_CONFIG,
            Type.BOOLEAN,
            DETERMINISTIC_CQ_ID_DEFAULT,
            Importance.LOW,
            DETERMINISTIC_CQ_ID_DOC,
            TABLES_GROUP,
            ++order,
            Width.SHORT,
            DETERMINISTIC_CQ_ID_DISPLAY)
        .define(
            TABLES_DISCOVERY_INTERVAL_MS_CONFIG,
            Type.LONG,
            TABLES_DISCOVERY_INTERVAL_MS_DEFAULT,
            Range.atLeast(0),
            Importance.LOW,
            TABLES_DISCOVERY_INTERVAL_MS_DOC,
            TABLES_GROUP,
            ++order,
            Width.SHORT,
            TABLES_DISCOVERY_INTERVAL_MS_DISPLAY);
    order = 0;
    def.define(
            TOPIC_PREFIX_CONFIG,
            Type.STRING,
            TOPIC_PREFIX_DEFAULT,
            ConfigValidators.topicChars(),
            Importance.MEDIUM,
            TOPIC_PREFIX_DOC,
            TOPICS_GROUP,
            ++order,
            Width.MEDIUM,
            TOPIC_PREFIX_DISPLAY)
        .define(
            TOPIC_RENAME_CONFIG,
            Type.LIST,
            TOPIC_RENAME_DEFAULT,
            ConfigValidators.pairList("table", "topic"),
            Importance.LOW,
            TOPIC_RENAME_DOC,
            TOPICS_GROUP,
            ++order,
            Width.LONG,
            TOPIC_RENAME_DISPLAY)
        .define(
            TIMESTAMP_PRECISION_CONFIG,
            Type.STRING,
            TIMESTAMP_PRECISION_DEFAULT,
            EnumConfigs.validator(TimestampPrecision.class),
            Importance.MEDIUM,
            TIMESTAMP_PRECISION_DOC,
            TOPICS_GROUP,
            ++order,
            Width.SHORT,
            TIMESTAMP_PRECISION_DISPLAY,
            EnumConfigs.recommender(TimestampPrecision.class));
    SourceFormatKeys.define(def, TOPICS_GROUP, ++order);
    order = 0;
    def.define(
            SYNC_INTERVAL_MS_CONFIG,
            Type.LONG,
            SYNC_INTERVAL_MS_DEFAULT,
            Range.atLeast(0),
            Importance.MEDIUM,
            SYNC_INTERVAL_MS_DOC,
            SYNC_GROUP,
            ++order,
            Width.SHORT,
            SYNC_INTERVAL_MS_DISPLAY)
        .define(
            SYNC_MARKERS_CONFIG,
            Type.BOOLEAN,
            SYNC_MARKERS_DEFAULT,
            Importance.LOW,
            SYNC_MARKERS_DOC,
            SYNC_GROUP,
            ++order,
            Width.SHORT,
            SYNC_MARKERS_DISPLAY)
        .define(
            TABLE_SPLIT_CONFIG,
            Type.STRING,
            TABLE_SPLIT_DEFAULT,
            EnumConfigs.validator(TableSplit.class),
            Importance.LOW,
            TABLE_SPLIT_DOC,
            SYNC_GROUP,
            ++order,
            Width.SHORT,
            TABLE_SPLIT_DISPLAY,
            EnumConfigs.recommender(TableSplit.class))
        .define(
            QUEUE_MAX_MESSAGES_CONFIG,
            Type.INT,
            QUEUE_MAX_MESSAGES_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            QUEUE_MAX_MESSAGES_DOC,
            SYNC_GROUP,
            ++order,
            Width.SHORT,
            QUEUE_MAX_MESSAGES_DISPLAY)
        .define(
            POLL_MAX_RECORDS_CONFIG,
            Type.INT,
            POLL_MAX_RECORDS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            POLL_MAX_RECORDS_DOC,
            SYNC_GROUP,
            ++order,
            Width.SHORT,
            POLL_MAX_RECORDS_DISPLAY);
    SourceScheduleKeys.define(def, SYNC_GROUP, ++order);
    return SourceStateKeys.define(def);
  }

  /**
   * Cross-field checks for {@code Connector.validate()}: the plugin keys, at most one mirror kind,
   * mirror settings only with a state table, JDBC credentials only with a JDBC URL, a cron schedule
   * or an interval, no per-row setting with {@code record.format=arrow}.
   */
  public static ConfigProblems validate(Map<String, String> props) {
    ConfigProblems problems = validatePluginKeys(props);
    SourceStateKeys.validate(props, problems);
    SourceScheduleKeys.validate(props, problems);
    SourceFormatKeys.validate(props, problems);
    return problems;
  }

  /** The CloudQuery source name: {@code source.name}, else the connector name. */
  public String sourceName() {
    return ConfigProps.nonEmpty(getString(SOURCE_NAME_CONFIG)).orElse(connectorName());
  }

  /** Table patterns to sync. */
  public List<String> tables() {
    return List.copyOf(getList(TABLES_CONFIG));
  }

  /** Table patterns to skip. */
  public List<String> skipTables() {
    return List.copyOf(getList(SKIP_TABLES_CONFIG));
  }

  /** Whether children are synced only when matched themselves. */
  public boolean skipDependentTables() {
    return getBoolean(SKIP_DEPENDENT_TABLES_CONFIG);
  }

  /** Whether {@code _cq_id} is derived from the row. */
  public boolean deterministicCqId() {
    return getBoolean(DETERMINISTIC_CQ_ID_CONFIG);
  }

  /** How often the connector re-discovers the selected tables; zero means only at start. */
  public Duration tablesDiscoveryInterval() {
    return Duration.ofMillis(getLong(TABLES_DISCOVERY_INTERVAL_MS_CONFIG));
  }

  /** The topic prefix (may be empty). */
  public String topicPrefix() {
    return getString(TOPIC_PREFIX_CONFIG);
  }

  /** Per-table topic overrides, table to topic. */
  public Map<String, String> topicRenames() {
    return Map.copyOf(
        ConfigValidators.parsePairs(TOPIC_RENAME_CONFIG, getList(TOPIC_RENAME_CONFIG)));
  }

  /** The topic of {@code table}: its override, else prefix + table. */
  public String topicFor(String table) {
    String renamed = topicRenames().get(table);
    return renamed != null ? renamed : topicPrefix() + table;
  }

  /** How timestamp columns are mapped: Connect Timestamp, or an exact count of their unit. */
  public TimestampPrecision timestampPrecision() {
    return TimestampPrecision.fromString(getString(TIMESTAMP_PRECISION_CONFIG));
  }

  /** What a table topic's record carries: one row, or one plugin insert as Arrow IPC. */
  public RecordFormat recordFormat() {
    return RecordFormat.fromString(getString(SourceFormatKeys.RECORD_FORMAT_CONFIG));
  }

  /** Pause between syncs; zero means sync once. */
  public Duration syncInterval() {
    return Duration.ofMillis(getLong(SYNC_INTERVAL_MS_CONFIG));
  }

  /** The cron schedule of the syncs, when {@code sync.schedule} is set. */
  public Optional<SyncCron> syncSchedule() {
    return ConfigProps.nonEmpty(getString(SourceScheduleKeys.SYNC_SCHEDULE_CONFIG))
        .map(
            cron ->
                SyncCron.parse(
                    cron,
                    SourceScheduleKeys.zone(
                        getString(SourceScheduleKeys.SYNC_SCHEDULE_TIMEZONE_CONFIG))));
  }

  /** How often incremental tables are read from scratch; zero means never. */
  public Duration incrementalFullRefreshInterval() {
    return Duration.ofMillis(getLong(SourceScheduleKeys.FULL_REFRESH_INTERVAL_MS_CONFIG));
  }

  /** Whether an end-of-sync marker goes to each table's topic after a clean sync. */
  public boolean syncMarkers() {
    return getBoolean(SYNC_MARKERS_CONFIG);
  }

  /** Capacity of the Sync hand-off queue, in messages. */
  public int queueMaxMessages() {
    return getInt(QUEUE_MAX_MESSAGES_CONFIG);
  }

  /** Most records per poll. */
  public int pollMaxRecords() {
    return getInt(POLL_MAX_RECORDS_CONFIG);
  }

  /** How work is spread over tasks. */
  public TableSplit tableSplit() {
    return TableSplit.fromString(getString(TABLE_SPLIT_CONFIG));
  }

  /** The state table name; empty when the state bridge is off. */
  public Optional<String> stateTableName() {
    return ConfigProps.nonEmpty(getString(SourceStateKeys.STATE_TABLE_NAME_CONFIG));
  }

  /**
   * The state topic: {@code state.topic}, else prefix + {@value
   * #SourceStateKeys.STATE_TOPIC_SUFFIX}.
   */
  public String stateTopic() {
    return ConfigProps.nonEmpty(getString(SourceStateKeys.STATE_TOPIC_CONFIG))
        .orElse(topicPrefix() + SourceStateKeys.STATE_TOPIC_SUFFIX);
  }

  /** Which mirror is configured (at most one is allowed). */
  public StateMirrorKind stateMirrorKind() {
    if (stateMirrorAddress().isPresent()) {
      return StateMirrorKind.ADDRESS;
    }
    if (stateMirrorPath().isPresent()) {
      return StateMirrorKind.PATH;
    }
    if (stateMirrorJdbcUrl().isPresent()) {
      return StateMirrorKind.JDBC;
    }
    return StateMirrorKind.NONE;
  }

  /** gRPC target of a running mirror destination. */
  /** The host a dialled plugin writes its cursors to, or empty (a launched plugin: unix socket). */
  public Optional<String> stateEndpointHost() {
    return ConfigProps.nonEmpty(getString(SourceStateKeys.STATE_ENDPOINT_HOST_CONFIG));
  }

  public Optional<String> stateMirrorAddress() {
    return ConfigProps.nonEmpty(getString(SourceStateKeys.STATE_MIRROR_ADDRESS_CONFIG));
  }

  /** Binary of a mirror destination to launch. */
  public Optional<String> stateMirrorPath() {
    return ConfigProps.nonEmpty(getString(SourceStateKeys.STATE_MIRROR_PATH_CONFIG));
  }

  /** Extra serve arguments of a launched mirror destination. */
  public List<String> stateMirrorArgs() {
    return List.copyOf(getList(SourceStateKeys.STATE_MIRROR_ARGS_CONFIG));
  }

  /** The mirror destination's Init spec, resolved like {@link #pluginSpec()}. Never log it. */
  public String stateMirrorSpec() {
    return SpecTemplate.resolve(
        SourceStateKeys.STATE_MIRROR_SPEC_CONFIG,
        password(SourceStateKeys.STATE_MIRROR_SPEC_CONFIG),
        stringsWithPrefix(SourceStateKeys.STATE_MIRROR_SPEC_VAR_PREFIX),
        SourceStateKeys.STATE_MIRROR_SPEC_VAR_PREFIX);
  }

  /** JDBC URL of a directly written mirror. */
  public Optional<String> stateMirrorJdbcUrl() {
    Password url = getPassword(SourceStateKeys.STATE_MIRROR_JDBC_URL_CONFIG);
    return ConfigProps.nonEmpty(url == null ? null : url.value());
  }

  /** JDBC user; empty string when unset. */
  public String stateMirrorJdbcUser() {
    return getString(SourceStateKeys.STATE_MIRROR_JDBC_USER_CONFIG);
  }

  /** JDBC password; empty string when unset. Never log it. */
  public String stateMirrorJdbcPassword() {
    return password(SourceStateKeys.STATE_MIRROR_JDBC_PASSWORD_CONFIG);
  }

  /** Wait before retrying a failed mirror write. */
  /** Whether a task adopts cursors the mirrored table holds ahead of Connect's offsets. */
  public boolean stateMirrorAdoptNewer() {
    return getBoolean(SourceStateKeys.STATE_MIRROR_ADOPT_NEWER_CONFIG);
  }

  public Duration stateMirrorRetry() {
    return Duration.ofMillis(getLong(SourceStateKeys.STATE_MIRROR_RETRY_MS_CONFIG));
  }
}
