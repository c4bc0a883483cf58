package io.cqconnect.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of one source task: the connector's keys plus the internal {@code task.*} keys the
 * connector sets when it divides the work (users never set them).
 */
public class SourceTaskConfig extends SourceConfig {

  public static final String TASK_GROUP = "Task (internal)";

  public static final String TASK_TABLES_CONFIG = "task.tables";
  public static final String TASK_TABLES_DOC =
      "Internal, set by the connector: the concrete tables (top-level tables with their"
          + " children) this task syncs. Empty means the connector's 'tables' patterns.";
  public static final String TASK_TABLES_DISPLAY = "Tables of this task";
  public static final String TASK_TABLES_DEFAULT = "";

  public static final String TASK_SHARD_NUM_CONFIG = "task.shard.num";
  public static final String TASK_SHARD_NUM_DOC =
      "Internal, set by the connector with table.split=shard: this task's shard, 1-based as the"
          + " CLI's --shard num/total. 0 means no sharding.";
  public static final String TASK_SHARD_NUM_DISPLAY = "Shard number";
  public static final int TASK_SHARD_NUM_DEFAULT = 0;

  public static final String TASK_SHARD_TOTAL_CONFIG = "task.shard.total";
  public static final String TASK_SHARD_TOTAL_DOC =
      "Internal, set by the connector with table.split=shard: the number of shards. 0 means no"
          + " sharding.";
  public static final String TASK_SHARD_TOTAL_DISPLAY = "Shard total";
  public static final int TASK_SHARD_TOTAL_DEFAULT = 0;

  public static final String TASK_ID_CONFIG = "task.id";
  public static final String TASK_ID_DOC =
      "Internal, set by the connector: this task's number (0-based). Names the task's cursor key"
          + " index partition.";
  public static final String TASK_ID_DISPLAY = "Task number";
  public static final int TASK_ID_DEFAULT = 0;

  private static final ConfigDef CONFIG_DEF = defineTaskKeys(SourceConfig.configDef());

  /** Parses and validates a task's properties. */
  public SourceTaskConfig(Map<?, ?> props) {
    super(CONFIG_DEF, props);
    int num = getInt(TASK_SHARD_NUM_CONFIG);
    int total = getInt(TASK_SHARD_TOTAL_CONFIG);
    if ((num == 0) != (total == 0) || num > total) {
      throw new ConfigException(
          "task.shard.num ("
              + num
              + ") and task.shard.total ("
              + total
              + ") must both be 0, or satisfy 1 <= num <= total");
    }
  }

  /** The connector's keys plus the internal task keys (a fresh copy). */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  /** Adds the internal {@code task.*} keys to {@code def} and returns it. */
  public static ConfigDef defineTaskKeys(ConfigDef def) {
    int order = 0;
    return def.define(
            new ConfigDef.ConfigKey(
                TASK_TABLES_CONFIG,
                Type.LIST,
                TASK_TABLES_DEFAULT,
                null,
                Importance.LOW,
                TASK_TABLES_DOC,
                TASK_GROUP,
                ++order,
                Width.LONG,
                TASK_TABLES_DISPLAY,
                List.of(),
                null,
                true))
        .define(
            new ConfigDef.ConfigKey(
                TASK_SHARD_NUM_CONFIG,
                Type.INT,
                TASK_SHARD_NUM_DEFAULT,
                Range.atLeast(0),
                Importance.LOW,
                TASK_SHARD_NUM_DOC,
                TASK_GROUP,
                ++order,
                Width.SHORT,
                TASK_SHARD_NUM_DISPLAY,
                List.of(),
                null,
                true))
        .define(
            new ConfigDef.ConfigKey(
                TASK_SHARD_TOTAL_CONFIG,
                Type.INT,
                TASK_SHARD_TOTAL_DEFAULT,
                Range.atLeast(0),
                Importance.LOW,
                TASK_SHARD_TOTAL_DOC,
                TASK_GROUP,
                ++order,
                Width.SHORT,
                TASK_SHARD_TOTAL_DISPLAY,
                List.of(),
                null,
                true))
        .define(
            new ConfigDef.ConfigKey(
                TASK_ID_CONFIG,
                Type.INT,
                TASK_ID_DEFAULT,
                Range.between(0, 255),
                Importance.LOW,
                TASK_ID_DOC,
                TASK_GROUP,
                ++order,
                Width.SHORT,
                TASK_ID_DISPLAY,
                List.of(),
                null,
                true));
  }

  /** Task properties for a table split: the connector's properties plus {@code task.tables}. */
  public static Map<String, String> forTables(
      Map<String, String> connectorProps, List<String> tables) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("a task needs at least one table");
    }
    Map<String, String> props = new HashMap<>(connectorProps);
    props.put(TASK_TABLES_CONFIG, String.join(",", tables));
    props.remove(TASK_SHARD_NUM_CONFIG);
    props.remove(TASK_SHARD_TOTAL_CONFIG);
    return props;
  }

  /** Task properties for shard {@code num} of {@code total} (1-based). */
  public static Map<String, String> forShard(
      Map<String, String> connectorProps, int num, int total) {
    if (num < 1 || num > total) {
      throw new IllegalArgumentException("shard " + num + "/" + total + " is out of range");
    }
    Map<String, String> props = new HashMap<>(connectorProps);
    props.remove(TASK_TABLES_CONFIG);
    props.put(TASK_SHARD_NUM_CONFIG, Integer.toString(num));
    props.put(TASK_SHARD_TOTAL_CONFIG, Integer.toString(total));
    return props;
  }

  /** What this task passes as Sync {@code tables}: {@code task.tables}, else {@code tables}. */
  public List<String> taskTables() {
    List<String> assigned = getList(TASK_TABLES_CONFIG);
    return assigned.isEmpty() ? tables() : List.copyOf(assigned);
  }

  /** This task's number among the connector's tasks (0-based). */
  public int taskId() {
    return getInt(TASK_ID_CONFIG);
  }

  /** This task's shard, empty when not sharded. */
  public Optional<Shard> shard() {
    int total = getInt(TASK_SHARD_TOTAL_CONFIG);
    return total == 0
        ? Optional.empty()
        : Optional.of(new Shard(getInt(TASK_SHARD_NUM_CONFIG), total));
  }

  /** Shard {@code num} of {@code total}, 1-based, as the protocol's {@code Sync.Request.shard}. */
  public record Shard(int num, int total) {}
}
