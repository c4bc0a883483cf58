package io.cqconnect.source;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.common.utils.Time;

/**
 * The source task's JMX metrics, under the domain {@code kafka.connect.cloudquery}: type {@code
 * source-task-metrics} (tags connector, task) and {@code source-table-metrics} (tags connector,
 * task, table). Things Connect already publishes per task (poll rates, offset commits) are not
 * repeated. Thread-safe; closed with the task.
 */
public final class SourceMetrics implements AutoCloseable {

  /** The JMX domain of every cq-connect metric. */
  public static final String DOMAIN = "kafka.connect.cloudquery";

  static final String TASK_GROUP = "source-task-metrics";
  static final String TABLE_GROUP = "source-table-metrics";

  private final Metrics metrics;
  private final Map<String, String> taskTags;
  private final Map<String, TableSensors> tables = new ConcurrentHashMap<>();
  private final Sensor syncsCompleted;
  private final Sensor syncsFailed;
  private final Sensor syncDuration;
  private final Sensor pluginRestarts;
  private final Sensor stateKeysCommitted;
  private final Sensor mirrorFailures;

  SourceMetrics(String connector, int task) {
    this.metrics =
        new Metrics(
            new MetricConfig(),
            List.of(new JmxReporter()),
            Time.SYSTEM,
            new KafkaMetricsContext(DOMAIN));
    this.taskTags = new LinkedHashMap<>();
    taskTags.put("connector", connector);
    taskTags.put("task", Integer.toString(task));
    syncsCompleted = counter("syncs-completed", "Syncs that ended cleanly and committed");
    syncsFailed = counter("syncs-failed", "Syncs that failed and were retried or failed the task");
    syncDuration = sensor("sync-duration");
    syncDuration.add(
        name("sync-duration-ms-avg", TASK_GROUP, "Average sync duration in ms", taskTags),
        new Avg());
    syncDuration.add(
        name("sync-duration-ms-max", TASK_GROUP, "Longest sync duration in ms", taskTags),
        new Max());
    syncDuration.add(
        name("sync-duration-ms-last", TASK_GROUP, "Duration of the last sync in ms", taskTags),
        new Value());
    pluginRestarts = counter("plugin-restarts", "Times the plugin was restarted after a failure");
    stateKeysCommitted =
        counter("state-keys-committed", "Cursor keys committed as Connect offsets");
    mirrorFailures = counter("mirror-failures", "Failed writes to the mirrored state table");
  }

  /** Registers a gauge on the task (queue fill, cursor keys held, mirror lag). */
  void gauge(String metric, String description, Supplier<Number> value) {
    metrics.addMetric(
        name(metric, TASK_GROUP, description, taskTags),
        (Gauge<Number>) (config, now) -> value.get());
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

  void syncCompleted(Duration duration) {
    syncsCompleted.record();
    syncDuration.record(duration.toMillis());
  }

  void syncFailed() {
    syncsFailed.record();
  }

  void pluginRestarted() {
    pluginRestarts.record();
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

  private Sensor sensor(String name) {
    return metrics.sensor(name + "-" + taskTags.get("task") + "-" + taskTags.get("connector"));
  }

  private Sensor counter(String metric, String description) {
    Sensor sensor = sensor(metric);
    sensor.add(name(metric + "-total", TASK_GROUP, description, taskTags), new CumulativeSum());
    return sensor;
  }

  private MetricName name(
      String metric, String group, String description, Map<String, String> tags) {
    return metrics.metricName(metric, group, description, tags);
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
      Map<String, String> tags = new LinkedHashMap<>(taskTags);
      tags.put("table", table);
      rows = metrics.sensor("rows-" + table + "-" + taskTags);
      rows.add(
          name("rows-total", TABLE_GROUP, "Rows decoded from the plugin", tags),
          new CumulativeSum());
      rows.add(name("rows-rate", TABLE_GROUP, "Rows decoded per second", tags), new Rate());
      bytes = metrics.sensor("bytes-" + table + "-" + taskTags);
      bytes.add(
          name("bytes-total", TABLE_GROUP, "Arrow bytes received from the plugin", tags),
          new CumulativeSum());
      bytes.add(
          name("bytes-rate", TABLE_GROUP, "Arrow bytes received per second", tags), new Rate());
      errors = metrics.sensor("errors-" + table + "-" + taskTags);
      errors.add(
          name(
              "plugin-errors-total", TABLE_GROUP, "Errors the plugin reported for the table", tags),
          new CumulativeSum());
      deletesSkipped = metrics.sensor("deletes-skipped-" + table + "-" + taskTags);
      deletesSkipped.add(
          name(
              "deletes-skipped-total",
              TABLE_GROUP,
              "delete_record messages that could not become tombstones",
              tags),
          new CumulativeSum());
    }
  }
}
