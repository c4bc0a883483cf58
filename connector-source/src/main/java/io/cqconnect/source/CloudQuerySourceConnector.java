package io.cqconnect.source;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.config.ConfigProblems;
import io.cqconnect.config.SourceConfig;
import io.cqconnect.config.SourceTaskConfig;
import io.cqconnect.config.TableSplit;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginConnections;
import io.cqconnect.plugin.PluginProbe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the tables of a CloudQuery source plugin into Kafka, one topic per table, and keeps the
 * plugin's incremental cursors as Connect offsets. Spreads top-level tables (or protocol shards)
 * over tasks.
 */
public class CloudQuerySourceConnector extends SourceConnector {

  private static final Logger log = LoggerFactory.getLogger(CloudQuerySourceConnector.class);

  private Map<String, String> props;
  private SourceConfig config;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
    this.config = new SourceConfig(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return CloudQuerySourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    if (maxTasks > KeyIndex.MAX_TASKS && config.stateTableName().isPresent()) {
      // Each task's key index is a partition a restarted task must find among 0..MAX_TASKS-1.
      log.warn(
          "Source '{}' keeps cursors, which supports at most {} tasks; using {} instead of"
              + " tasks.max={}",
          config.sourceName(),
          KeyIndex.MAX_TASKS,
          KeyIndex.MAX_TASKS,
          maxTasks);
      maxTasks = KeyIndex.MAX_TASKS;
    }
    List<Map<String, String>> tasks = new ArrayList<>();
    if (maxTasks <= 1) {
      tasks.add(new HashMap<>(props));
    } else if (config.tableSplit() == TableSplit.SHARD) {
      for (int num = 1; num <= maxTasks; num++) {
        tasks.add(SourceTaskConfig.forShard(props, num, maxTasks));
      }
    } else {
      List<List<String>> assignment = TableAssigner.assign(selectedTables(), maxTasks);
      if (assignment.isEmpty()) {
        throw new ConnectException(
            "Source '"
                + config.sourceName()
                + "': the plugin selects no table for tables="
                + config.tables()
                + " skip.tables="
                + config.skipTables());
      }
      for (List<String> tables : assignment) {
        tasks.add(SourceTaskConfig.forTables(props, tables));
      }
      log.info(
          "Source '{}' spreads its tables over {} tasks: {}",
          config.sourceName(),
          tasks.size(),
          assignment);
    }
    for (int task = 0; task < tasks.size(); task++) {
      tasks.get(task).put(SourceTaskConfig.TASK_ID_CONFIG, Integer.toString(task));
    }
    return tasks;
  }

  /** Asks the plugin once which tables the selection covers (children included). */
  private List<CqTable> selectedTables() {
    try (PluginConnection plugin = PluginConnections.open(config, config.sourceName(), true)) {
      List<CqTable> tables = new ArrayList<>();
      plugin
          .client()
          .getTables(config.tables(), config.skipTables(), config.skipDependentTables())
          .forEach(schema -> tables.add(CqTable.fromSchema(ArrowIpc.schemaFromBytes(schema))));
      return tables;
    }
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config result = super.validate(connectorConfigs);
    ConfigProblems problems = SourceConfig.validate(connectorConfigs);
    if (problems.isEmpty() && noErrors(result)) {
      problems.addAll(PluginProbe.check(new SourceConfig(connectorConfigs)));
    }
    return problems.attachTo(result);
  }

  private static boolean noErrors(Config config) {
    return config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.SUPPORTED;
  }

  @Override
  public ConnectorTransactionBoundaries canDefineTransactionBoundaries(
      Map<String, String> connectorConfig) {
    return ConnectorTransactionBoundaries.SUPPORTED;
  }

  @Override
  public boolean alterOffsets(
      Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
    return OffsetEdits.apply(new SourceConfig(connectorConfig), offsets);
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return SourceConfig.configDef();
  }
}
