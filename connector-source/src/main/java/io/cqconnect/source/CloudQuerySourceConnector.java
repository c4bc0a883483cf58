package io.cqconnect.source;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.config.ConfigProblems;
import io.cqconnect.config.PluginConfig;
import io.cqconnect.config.SourceConfig;
import io.cqconnect.config.SourceStateKeys;
import io.cqconnect.config.SourceTaskConfig;
import io.cqconnect.config.TableSplit;
import io.cqconnect.connector.ConfiguredPlugins;
import io.cqconnect.plugin.PluginAllowlist;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginProbe;
import java.time.Duration;
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
 *
 * <p>Threads: Connect calls {@code start} and {@code stop} on the connector's own worker thread and
 * {@code taskConfigs} on the herder's thread, which also serves the REST API; so the plugin is only
 * ever asked for its tables by the {@link TableDiscovery} thread, and {@code taskConfigs} reads its
 * last answer.
 */
public class CloudQuerySourceConnector extends SourceConnector {

  private static final Logger log = LoggerFactory.getLogger(CloudQuerySourceConnector.class);

  /** Connect's own key; connect-runtime, which names it, is not on our classpath. */
  private static final String TASKS_MAX_CONFIG = "tasks.max";

  /**
   * How long {@code start} waits for the first discovery. It runs on the connector's thread, not
   * the herder's, so waiting here costs only a later RUNNING state, while it usually spares the
   * herder a failed {@code taskConfigs} and its retry (logged by Connect as an ERROR).
   */
  private static final Duration FIRST_DISCOVERY_WAIT = Duration.ofSeconds(10);

  private Map<String, String> props;
  private SourceConfig config;
  private DiscoveredTables discovered;
  private TableDiscovery discovery;
  private boolean running;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
    this.config = new SourceConfig(props);
    synchronized (this) {
      running = true;
    }
    if (config.tableSplit() == TableSplit.TABLE && tasksMax(props) > 1) {
      DiscoveredTables first = startDiscovery();
      try {
        if (!first.awaitFirstAttempt(FIRST_DISCOVERY_WAIT)) {
          log.info(
              "Source '{}': table discovery takes longer than {} s; tasks are assigned when it"
                  + " ends (until then Connect logs that it cannot reconfigure them, and keeps any"
                  + " tasks it runs)",
              config.sourceName(),
              FIRST_DISCOVERY_WAIT.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Only a table split over several tasks needs the plugin's table list. */
  private static int tasksMax(Map<String, String> props) {
    try {
      return Integer.parseInt(props.getOrDefault(TASKS_MAX_CONFIG, "1").trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Starts the discovery thread unless it runs; returns its table holder. */
  private synchronized DiscoveredTables startDiscovery() {
    if (discovery != null) {
      return discovered;
    }
    String connector =
        config.connectorName().isEmpty() ? config.sourceName() : config.connectorName();
    // The thread keeps the config it was started with, even if start() runs again after a pause.
    SourceConfig discoveryConfig = config;
    discovered = new DiscoveredTables(config.sourceName());
    discovery =
        new TableDiscovery(
            connector,
            config.sourceName(),
            () -> selectedTables(discoveryConfig),
            discovered,
            context,
            config.tablesDiscoveryInterval(),
            config.pluginRestartBackoffInitial(),
            config.pluginRestartBackoffMax());
    discovery.start();
    return discovered;
  }

  /**
   * The last discovered tables, for {@code taskConfigs}. The discovery normally started in {@code
   * start}; starting it here covers a {@code tasks.max} that {@code start} could not read.
   */
  private List<CqTable> discoveredTables() {
    DiscoveredTables current;
    synchronized (this) {
      if (!running) {
        throw new ConnectException(
            "Source '"
                + config.sourceName()
                + "' is stopped; its tasks are assigned when it starts");
      }
      current = startDiscovery();
    }
    return current.forTaskConfigs();
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
      // No plugin call here: this is the herder's thread. Before the first discovery succeeds
      // this throws, which is the safest answer Connect allows: the herder keeps the tasks it
      // already runs (a restarted or moved connector does not stop a running split, as an empty
      // or single-task answer would) and retries, and the discovery thread asks again once it has
      // tables.
      List<List<String>> assignment = TableAssigner.assign(discoveredTables(), maxTasks);
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

  /**
   * Asks the plugin once which tables the selection covers (children included); one plugin session
   * per call, closed before returning. Runs on the discovery thread.
   *
   * @throws ConnectException with the plugin's message, or when the selection is empty
   */
  private static List<CqTable> selectedTables(SourceConfig config) {
    try (PluginConnection plugin = ConfiguredPlugins.open(config, config.sourceName(), true)) {
      List<CqTable> tables = new ArrayList<>();
      plugin
          .client()
          .getTables(config.tables(), config.skipTables(), config.skipDependentTables())
          .forEach(schema -> tables.add(CqTable.fromSchema(ArrowIpc.schemaFromBytes(schema))));
      if (tables.isEmpty()) {
        throw new ConnectException(
            "Source '"
                + config.sourceName()
                + "': the plugin selects no table for tables="
                + config.tables()
                + " skip.tables="
                + config.skipTables()
                + "; check the patterns against the plugin's table names");
      }
      return tables;
    }
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config result = super.validate(connectorConfigs);
    ConfigProblems problems = SourceConfig.validate(connectorConfigs);
    PluginAllowlist allowed = PluginAllowlist.fromWorker();
    for (String key :
        List.of(PluginConfig.PLUGIN_PATH_CONFIG, SourceStateKeys.STATE_MIRROR_PATH_CONFIG)) {
      allowed.problem(connectorConfigs.get(key)).ifPresent(problem -> problems.add(key, problem));
    }
    if (problems.isEmpty() && noErrors(result)) {
      SourceConfig config = new SourceConfig(connectorConfigs);
      problems.addAll(
          ConfiguredPlugins.probe(
              config,
              new PluginProbe.TableFilter(
                  config.tables(), config.skipTables(), config.skipDependentTables())));
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
  public void stop() {
    TableDiscovery stopping;
    synchronized (this) {
      running = false;
      stopping = discovery;
      discovery = null;
    }
    if (stopping != null) {
      stopping.close();
    }
  }

  @Override
  public ConfigDef config() {
    return SourceConfig.configDef();
  }
}
