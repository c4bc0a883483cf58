package io.cqconnect.source;

import io.cqconnect.plugin.TaskMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Value;

/**
 * The source task's JMX metrics, under the domain {@code kafka.connect.cloudquery}: type {@code
 * source-task-metrics} (tags connector, task) and {@code source-table-metrics} (tags connector,
 * task, table). Things Connect already publishes per task (poll rates, offset commits) are not
 * repeated. Thread-safe; closed with the task.
 */
public final class SourceMetrics implements AutoCloseable {

  /** The JMX domain of every cq-connect metric. */
  public static final String DOMAIN = TaskMetrics.DOMAIN;

  static final String TASK_GROUP = "source-task-metrics";
  static final String TABLE_GROUP = "source-table-metrics";

  private final TaskMetrics metrics;
  private final Map<String, TableSensors> tables = new ConcurrentHashMap<>();
  private final Sensor syncsCompleted;
  private final Sensor syncsFailed;
  private final Sensor syncDuration;
  private final Sensor pluginRestarts;
  private final Sensor stateKeysCommitted;
  private final Sensor mirrorFailures;
  private final Sensor stateKeysAdopted;
  private final Sensor syncsSkipped;
  private final Sensor fullRefreshes;
  private volatile long lastSuccess;
  private volatile long nextSync;

  SourceMetrics(String connector, int task) {
    this.metrics = new TaskMetrics(connector, task);
    syncsCompleted =
        metrics.counter("syncs-completed", TASK_GROUP, "Syncs that ended cleanly and committed");
    syncsFailed =
        metrics.counter(
            "syncs-failed", TASK_GROUP, "Syncs that failed and were retried or failed the task");
    syncDuration = metrics.sensor("sync-duration");
    syncDuration.add(
        metrics.name("sync-duration-ms-avg", TASK_GROUP, "Average sync duration in ms"), new Avg());
    syncDuration.add(
        metrics.name("sync-duration-ms-max", TASK_GROUP, "Longest sync duration in ms"), new Max());
    syncDuration.add(
        metrics.name("sync-duration-ms-last", TASK_GROUP, "Duration of the last sync in ms"),
        new Value());
    pluginRestarts =
        metrics.counter(
            "plugin-restarts", TASK_GROUP, "Times the plugin was restarted after a failure");
    stateKeysCommitted =
        metrics.counter(
            "state-keys-committed", TASK_GROUP, "Cursor keys committed as Connect offsets");
    mirrorFailures =
        metrics.counter("mirror-failures", TASK_GROUP, "Failed writes to the mirrored state table");
    metrics.gauge(
        "last-successful-sync-time",
        TASK_GROUP,
        "When the last sync that ended cleanly and committed finished (epoch ms; 0: none yet)",
        () -> lastSuccess);
    metrics.gauge(
        "next-sync-time",
        TASK_GROUP,
        "When the task's next sync is due to start (epoch ms; 0 while a sync runs or none is due)",
        () -> nextSync);
    syncsSkipped =
        metrics.counter(
            "syncs-skipped",
            TASK_GROUP,
            "sync.schedule fire times skipped because the previous sync was still running");
    fullRefreshes =
        metrics.counter(
            "full-refreshes",
            TASK_GROUP,
            "Committed syncs that read the incremental tables from scratch"
                + " (incremental.full.refresh.interval.ms)");
    stateKeysAdopted =
        metrics.counter(
            "state-keys-adopted",
            TASK_GROUP,
            "Cursor keys started from the mirrored table because it was ahead of Connect");
  }

  /** Registers a gauge on the task (queue fill, cursor keys held, mirror lag). */
  void gauge(String metric, String description, Supplier<Number> value) {
    metrics.gauge(metric, TASK_GROUP, description, value);
  }

  void rowsDecoded(String table, int rows, long bytes) {
    TableSensors sensors = table(table);
    sensors.rows.record(rows);
    sensors.bytes.record(bytes);
  }

  void pluginError(String table) {
    table(table == null || table.isEmpty() ? "(none)" : table).errors.record();
  }

  void deleteSkipped(String table) {
    table(table).deletesSkipped.record();
  }

  /** The underlying registry (tests read values from it). */
  org.apache.kafka.common.metrics.Metrics registry() {
    return metrics.registry();
  }

  void syncCompleted(Duration duration) {
    syncsCompleted.record();
    syncDuration.record(duration.toMillis());
    lastSuccess = System.currentTimeMillis();
  }

  /** The next sync is due at {@code due}; null while a sync runs or none is due. */
  void nextSync(Instant due) {
    nextSync = due == null ? 0 : due.toEpochMilli();
  }

  void syncsSkipped(int fireTimes) {
    syncsSkipped.record(fireTimes);
  }

  void fullRefreshed() {
    fullRefreshes.record();
  }

  void syncFailed() {
    syncsFailed.record();
  }

  void pluginRestarted() {
    pluginRestarts.record();
  }

  void stateKeysAdopted(int keys) {
    stateKeysAdopted.record(keys);
  }

  void stateKeysCommitted(int keys) {
    stateKeysCommitted.record(keys);
  }

  void mirrorFailed() {
    mirrorFailures.record();
  }

  private TableSensors table(String table) {
    return tables.computeIfAbsent(table, TableSensors::new);
  }

  @Override
  public void close() {
    metrics.close();
  }

  private final class TableSensors {
    final Sensor rows;
    final Sensor bytes;
    final Sensor errors;
    final Sensor deletesSkipped;

    TableSensors(String table) {
      rows =
          metrics.tableCounter(
              table,
              "rows",
              TABLE_GROUP,
              "Rows decoded from the plugin",
              "Rows decoded per second");
      bytes =
          metrics.tableCounter(
              table,
              "bytes",
              TABLE_GROUP,
              "Arrow bytes received from the plugin",
              "Arrow bytes received per second");
      errors =
          metrics.tableCounter(
              table,
              "plugin-errors",
              TABLE_GROUP,
              "Errors the plugin reported for the table",
              null);
      deletesSkipped =
          metrics.tableCounter(
              table,
              "deletes-skipped",
              TABLE_GROUP,
              "delete_record messages that could not become tombstones",
              null);
    }
  }
}
