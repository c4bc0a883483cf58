package io.cqconnect.sink;

import io.cqconnect.config.ConfigProblems;
import io.cqconnect.config.PluginConfig;
import io.cqconnect.config.SinkConfig;
import io.cqconnect.connector.ConfiguredPlugins;
import io.cqconnect.plugin.PluginAllowlist;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes Kafka topics into a CloudQuery destination plugin (PostgreSQL, SQLite, BigQuery, ...) with
 * CloudQuery's write modes ({@code append}, {@code overwrite}, {@code overwrite-delete-stale}) and
 * migrate modes; every task runs its own plugin process.
 */
public class CloudQuerySinkConnector extends SinkConnector {

  private Map<String, String> props;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new SinkConfig(props); // fail early on bad values
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return CloudQuerySinkTask.class;
  }

  /** {@code maxTasks} identical configurations; each only adds its number as {@code task.id}. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> tasks = new ArrayList<>(maxTasks);
    for (int task = 0; task < maxTasks; task++) {
      Map<String, String> config = new HashMap<>(props);
      config.put(CloudQuerySinkTask.TASK_ID_CONFIG, Integer.toString(task));
      tasks.add(config);
    }
    return tasks;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config result = super.validate(connectorConfigs);
    ConfigProblems problems = SinkConfig.validate(connectorConfigs);
    problems.addAll(crossFieldProblems(connectorConfigs));
    PluginAllowlist.fromWorker()
        .problem(connectorConfigs.get(PluginConfig.PLUGIN_PATH_CONFIG))
        .ifPresent(problem -> problems.add(PluginConfig.PLUGIN_PATH_CONFIG, problem));
    if (problems.isEmpty() && noErrors(result)) {
      problems.addAll(ConfiguredPlugins.probe(new SinkConfig(connectorConfigs)));
    }
    return problems.attachTo(result);
  }

  /** Sink rules that span keys: renamed topics must be consumed; batches must fit a message. */
  static ConfigProblems crossFieldProblems(Map<String, String> props) {
    ConfigProblems problems = new ConfigProblems();
    String topics = props.getOrDefault(TOPICS_CONFIG, "").trim();
    String renames = props.getOrDefault(SinkConfig.TABLE_RENAME_CONFIG, "").trim();
    if (!topics.isEmpty() && !renames.isEmpty()) {
      List<String> consumed = new ArrayList<>();
      for (String topic : topics.split(",")) {
        consumed.add(topic.trim());
      }
      for (String pair : renames.split(",")) {
        int colon = pair.indexOf(':');
        String topic = colon < 0 ? pair.trim() : pair.substring(0, colon).trim();
        if (!topic.isEmpty() && !consumed.contains(topic)) {
          problems.add(
              SinkConfig.TABLE_RENAME_CONFIG,
              "table.rename names topic '"
                  + topic
                  + "', which is not in topics ("
                  + topics
                  + "); add it to topics or remove the pair");
        }
      }
    }
    Long batchBytes = parseLong(props.get(SinkConfig.BATCH_MAX_BYTES_CONFIG));
    Long messageBytes = parseLong(props.get(PluginConfig.GRPC_MAX_MESSAGE_BYTES_CONFIG));
    long batch = batchBytes == null ? SinkConfig.BATCH_MAX_BYTES_DEFAULT : batchBytes;
    long message =
        messageBytes == null ? PluginConfig.GRPC_MAX_MESSAGE_BYTES_DEFAULT : messageBytes;
    if (batch >= message) {
      problems.add(
          SinkConfig.BATCH_MAX_BYTES_CONFIG,
          "batch.max.bytes ("
              + batch
              + ") must be below grpc.max.message.bytes ("
              + message
              + "), or one batch may not fit in a gRPC message");
    }
    return problems;
  }

  /**
   * Sink offsets are plain consumer offsets: any position (or a reset) of a consumed topic is
   * valid; partitions of topics the connector does not consume are refused ({@link
   * SinkOffsetEdits}).
   */
  @Override
  public boolean alterOffsets(
      Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
    SinkOffsetEdits.check(connectorConfig, offsets);
    return true;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return SinkConfig.configDef();
  }

  private static boolean noErrors(Config config) {
    return config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
  }

  private static Long parseLong(String value) {
    try {
      return value == null || value.isBlank() ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
