package io.cqconnect.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Configuration of the CloudQuery sink connector: plugin, write behaviour, batching, retries. */
public class SinkConfig extends PluginConfig {

  /** The {@code connector.class} of the sink connector (the translator and docs name it). */
  public static final String CONNECTOR_CLASS = "io.cqconnect.sink.CloudQuerySinkConnector";

  public static final String WRITE_GROUP = "Write";
  public static final String BATCH_GROUP = "Batching";
  public static final String RETRY_GROUP = "Retries";

  public static final String WRITE_MODE_CONFIG = "write.mode";
  public static final String WRITE_MODE_DOC =
      "CloudQuery's write_mode: 'append' inserts every row (primary keys are dropped), 'overwrite'"
          + " upserts on the primary key, 'overwrite-delete-stale' also deletes the rows of a"
          + " source that its last completed sync did not write.";
  public static final String WRITE_MODE_DISPLAY = "Write mode";
  public static final String WRITE_MODE_DEFAULT = WriteMode.OVERWRITE_DELETE_STALE.value();

  public static final String MIGRATE_MODE_CONFIG = "migrate.mode";
  public static final String MIGRATE_MODE_DOC =
      "CloudQuery's migrate_mode: 'safe' applies only safe schema changes and fails on others;"
          + " 'forced' drops and recreates a table whose change is unsafe (its data is lost).";
  public static final String MIGRATE_MODE_DISPLAY = "Migrate mode";
  public static final String MIGRATE_MODE_DEFAULT = MigrateMode.SAFE.value();

  public static final String PK_MODE_CONFIG = "pk.mode";
  public static final String PK_MODE_DOC =
      "CloudQuery's pk_mode: 'default' keeps the source's primary keys, 'cq-id-only' makes"
          + " _cq_id the only primary key. Ignored with write.mode=append.";
  public static final String PK_MODE_DISPLAY = "Primary key mode";
  public static final String PK_MODE_DEFAULT = PkMode.DEFAULT.value();

  public static final String TABLE_RENAME_CONFIG = "table.rename";
  public static final String TABLE_RENAME_DOC =
      "topic:table pairs choosing the destination table of a topic. Otherwise the table is the"
          + " record's cq.table header, else the topic name.";
  public static final String TABLE_RENAME_DISPLAY = "Table per topic";
  public static final String TABLE_RENAME_DEFAULT = "";

  public static final String SOURCE_NAME_CONFIG = "source.name";
  public static final String SOURCE_NAME_DOC =
      "Value of _cq_source_name for records without a cq.source header (records from other"
          + " producers than the CloudQuery source connector). Empty means the header only.";
  public static final String SOURCE_NAME_DISPLAY = "Source name fallback";
  public static final String SOURCE_NAME_DEFAULT = "";

  public static final String BATCH_MAX_ROWS_CONFIG = "batch.max.rows";
  public static final String BATCH_MAX_ROWS_DOC =
      "Rows buffered per table before a write is sent (the Go SDK writers' batch_size).";
  public static final String BATCH_MAX_ROWS_DISPLAY = "Batch rows";
  public static final int BATCH_MAX_ROWS_DEFAULT = 10_000;

  public static final String BATCH_MAX_BYTES_CONFIG = "batch.max.bytes";
  public static final String BATCH_MAX_BYTES_DOC =
      "Arrow bytes buffered per table before a write is sent (batch_size_bytes); no insert"
          + " message is larger (a larger run of rows is split).";
  public static final String BATCH_MAX_BYTES_DISPLAY = "Batch bytes";
  public static final long BATCH_MAX_BYTES_DEFAULT = 5_242_880L;

  public static final String BATCH_TIMEOUT_MS_CONFIG = "batch.timeout.ms";
  public static final String BATCH_TIMEOUT_MS_DOC =
      "Longest time a row waits in a batch before it is written.";
  public static final String BATCH_TIMEOUT_MS_DISPLAY = "Batch timeout (ms)";
  public static final long BATCH_TIMEOUT_MS_DEFAULT = 20_000L;

  public static final String RETRY_MAX_CONFIG = "retry.max";
  public static final String RETRY_MAX_DOC =
      "Retries of a failed write (transport errors) before the task fails; reset on success.";
  public static final String RETRY_MAX_DISPLAY = "Max retries";
  public static final int RETRY_MAX_DEFAULT = 10;

  public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
  public static final String RETRY_BACKOFF_MS_DOC = "Wait before retrying a failed write.";
  public static final String RETRY_BACKOFF_MS_DISPLAY = "Retry backoff (ms)";
  public static final long RETRY_BACKOFF_MS_DEFAULT = 3_000L;

  private static final ConfigDef CONFIG_DEF = defineSinkKeys(definePluginKeys(new ConfigDef()));

  /** Parses and validates connector or task properties (the sink has no task-only keys). */
  public SinkConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
  }

  /** The keys of the sink connector (a fresh copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  /** Adds the sink keys (everything but {@code plugin.*}) to {@code def} and returns it. */
  public static ConfigDef defineSinkKeys(ConfigDef def) {
    int order = 0;
    def.define(
            WRITE_MODE_CONFIG,
            Type.STRING,
            WRITE_MODE_DEFAULT,
            EnumConfigs.validator(WriteMode.class),
            Importance.HIGH,
            WRITE_MODE_DOC,
            WRITE_GROUP,
            ++order,
            Width.MEDIUM,
            WRITE_MODE_DISPLAY,
            EnumConfigs.recommender(WriteMode.class))
        .define(
            MIGRATE_MODE_CONFIG,
            Type.STRING,
            MIGRATE_MODE_DEFAULT,
            EnumConfigs.validator(MigrateMode.class),
            Importance.MEDIUM,
            MIGRATE_MODE_DOC,
            WRITE_GROUP,
            ++order,
            Width.SHORT,
            MIGRATE_MODE_DISPLAY,
            EnumConfigs.recommender(MigrateMode.class))
        .define(
            PK_MODE_CONFIG,
            Type.STRING,
            PK_MODE_DEFAULT,
            EnumConfigs.validator(PkMode.class),
            Importance.MEDIUM,
            PK_MODE_DOC,
            WRITE_GROUP,
            ++order,
            Width.SHORT,
            PK_MODE_DISPLAY,
            EnumConfigs.recommender(PkMode.class))
        .define(
            TABLE_RENAME_CONFIG,
            Type.LIST,
            TABLE_RENAME_DEFAULT,
            ConfigValidators.pairList("topic", "table"),
            Importance.LOW,
            TABLE_RENAME_DOC,
            WRITE_GROUP,
            ++order,
            Width.LONG,
            TABLE_RENAME_DISPLAY)
        .define(
            SOURCE_NAME_CONFIG,
            Type.STRING,
            SOURCE_NAME_DEFAULT,
            Importance.LOW,
            SOURCE_NAME_DOC,
            WRITE_GROUP,
            ++order,
            Width.MEDIUM,
            SOURCE_NAME_DISPLAY);
    order = 0;
    def.define(
            BATCH_MAX_ROWS_CONFIG,
            Type.INT,
            BATCH_MAX_ROWS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            BATCH_MAX_ROWS_DOC,
            BATCH_GROUP,
            ++order,
            Width.SHORT,
            BATCH_MAX_ROWS_DISPLAY)
        .define(
            BATCH_MAX_BYTES_CONFIG,
            Type.LONG,
            BATCH_MAX_BYTES_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            BATCH_MAX_BYTES_DOC,
            BATCH_GROUP,
            ++order,
            Width.SHORT,
            BATCH_MAX_BYTES_DISPLAY)
        .define(
            BATCH_TIMEOUT_MS_CONFIG,
            Type.LONG,
            BATCH_TIMEOUT_MS_DEFAULT,
            Range.atLeast(1),
            Importance.LOW,
            BATCH_TIMEOUT_MS_DOC,
            BATCH_GROUP,
            ++order,
            Width.SHORT,
            BATCH_TIMEOUT_MS_DISPLAY);
    order = 0;
    return def.define(
            RETRY_MAX_CONFIG,
            Type.INT,
            RETRY_MAX_DEFAULT,
            Range.atLeast(0),
            Importance.LOW,
            RETRY_MAX_DOC,
            RETRY_GROUP,
            ++order,
            Width.SHORT,
            RETRY_MAX_DISPLAY)
        .define(
            RETRY_BACKOFF_MS_CONFIG,
            Type.LONG,
            RETRY_BACKOFF_MS_DEFAULT,
            Range.atLeast(0),
            Importance.LOW,
            RETRY_BACKOFF_MS_DOC,
            RETRY_GROUP,
            ++order,
            Width.SHORT,
            RETRY_BACKOFF_MS_DISPLAY);
  }

  /** Cross-field checks for {@code Connector.validate()}. */
  public static ConfigProblems validate(Map<String, String> props) {
    return validatePluginKeys(props);
  }

  /** How rows are written. */
  public WriteMode writeMode() {
    return WriteMode.fromString(getString(WRITE_MODE_CONFIG));
  }

  /** How schema changes are applied. */
  public MigrateMode migrateMode() {
    return MigrateMode.fromString(getString(MIGRATE_MODE_CONFIG));
  }

  /** Which columns form the primary key. */
  public PkMode pkMode() {
    return PkMode.fromString(getString(PK_MODE_CONFIG));
  }

  /** Per-topic table overrides, topic to table. */
  public Map<String, String> tableRenames() {
    return Map.copyOf(
        ConfigValidators.parsePairs(TABLE_RENAME_CONFIG, getList(TABLE_RENAME_CONFIG)));
  }

  /**
   * The destination table of a record: the override of its topic, else its {@code cq.table} header
   * (may be null), else the topic.
   */
  public String tableFor(String topic, String cqTableHeader) {
    String renamed = tableRenames().get(topic);
    if (renamed != null) {
      return renamed;
    }
    return cqTableHeader != null && !cqTableHeader.isEmpty() ? cqTableHeader : topic;
  }

  /** Fallback {@code _cq_source_name} for records without a {@code cq.source} header. */
  public Optional<String> sourceNameFallback() {
    return ConfigProps.nonEmpty(getString(SOURCE_NAME_CONFIG));
  }

  /** Rows per table batch. */
  public int batchMaxRows() {
    return getInt(BATCH_MAX_ROWS_CONFIG);
  }

  /** Bytes per table batch. */
  public long batchMaxBytes() {
    return getLong(BATCH_MAX_BYTES_CONFIG);
  }

  /** Longest wait of a row in a batch. */
  public Duration batchTimeout() {
    return Duration.ofMillis(getLong(BATCH_TIMEOUT_MS_CONFIG));
  }

  /** Retries of a failed write. */
  public int retryMax() {
    return getInt(RETRY_MAX_CONFIG);
  }

  /** Wait before a retry. */
  public Duration retryBackoff() {
    return Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG));
  }
}
