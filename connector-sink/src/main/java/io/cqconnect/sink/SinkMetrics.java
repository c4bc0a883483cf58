package io.cqconnect.sink;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.utils.Time;

/**
 * The sink task's JMX metrics, under the domain {@code kafka.connect.cloudquery}: type {@code
 * sink-task-metrics} (tags connector, task) with flushes, flush latency, delete-stales, records
 * sent to the dead letter queue and plugin restarts; type {@code sink-table-metrics} (tags
 * connector, task, table) with rows written and rows deleted. What Connect already publishes per
 * sink task (put rates, offset commits) is not repeated. Thread-safe; closed with the task.
 */
public final class SinkMetrics implements AutoCloseable {

  /** The JMX domain of every cq-connect metric. */
  public static final String DOMAIN = "kafka.connect.cloudquery";

  static final String TASK_GROUP = "sink-task-metrics";
  static final String TABLE_GROUP = "sink-table-metrics";

  private final Metrics metrics;
  private final Map<String, String> taskTags;
  private final String sensorSuffix;
  private final Map<String, TableSensors> tables = new ConcurrentHashMap<>();
  private final Sensor flushes;
  private final Sensor flushLatency;
  private final Sensor staleDeletes;
  private final Sensor dlqRecords;
  private final Sensor pluginRestarts;
  private final Sensor writeFailures;

  SinkMetrics(String connector, int task) {
    this.metrics =
        new Metrics(
            new MetricConfig(),
            List.of(new JmxReporter()),
            Time.SYSTEM,
            new KafkaMetricsContext(DOMAIN));
    this.taskTags = new LinkedHashMap<>();
    taskTags.put("connector", connector);
    taskTags.put("task", Integer.toString(task));
    this.sensorSuffix = "-" + connector + "-" + task;
    flushes = counter("flushes", "Write streams completed and confirmed by the destination");
    flushLatency = metrics.sensor("flush-latency" + sensorSuffix);
    flushLatency.add(
        name("flush-latency-ms-avg", TASK_GROUP, "Average time from half-close to the answer, ms"),
        new Avg());
    flushLatency.add(
        name("flush-latency-ms-max", TASK_GROUP, "Longest time from half-close to the answer, ms"),
        new Max());
    staleDeletes = counter("delete-stale", "Delete-stale messages confirmed by the destination");
    dlqRecords = counter("dlq-records", "Records handed to the errant record reporter (DLQ)");
    pluginRestarts = counter("plugin-restarts", "Times the destination plugin was opened again");
    writeFailures =
        counter("write-failures", "Write streams that failed (each is retried or fatal)");
  }

  void flushed(long latencyMs, Map<String, Long> rowsByTable) {
    flushes.record();
    flushLatency.record(latencyMs);
    rowsByTable.forEach((table, rows) -> table(table).rows.record(rows));
  }

  void rowsDeleted(String table) {
    table(table).deletes.record();
  }

  void staleDeleted(int count) {
    staleDeletes.record(count);
  }

  void sentToDlq() {
    dlqRecords.record();
  }

  void pluginRestarted() {
    pluginRestarts.record();
  }

  void writeFailed() {
    writeFailures.record();
  }

  /** The underlying registry (tests read values from it). */
  Metrics registry() {
    return metrics;
  }

  private TableSensors table(String table) {
    return tables.computeIfAbsent(table, TableSensors::new);
  }

  private Sensor counter(String metric, String description) {
    Sensor sensor = metrics.sensor(metric + sensorSuffix);
    sensor.add(name(metric + "-total", TASK_GROUP, description), new CumulativeSum());
    return sensor;
  }

  private MetricName name(String metric, String group, String description) {
    return metrics.metricName(metric, group, description, taskTags);
  }

  @Override
  public void close() {
    metrics.close();
  }

  private final class TableSensors {
    final Sensor rows;
    final Sensor deletes;

    TableSensors(String table) {
      Map<String, String> tags = new LinkedHashMap<>(taskTags);
      tags.put("table", table);
      rows = metrics.sensor("rows-" + table + sensorSuffix);
      rows.add(
          metrics.metricName("rows-written-total", TABLE_GROUP, "Rows confirmed written", tags),
          new CumulativeSum());
      rows.add(
          metrics.metricName("rows-written-rate", TABLE_GROUP, "Rows confirmed per second", tags),
          new Rate());
      deletes = metrics.sensor("deletes-" + table + sensorSuffix);
      deletes.add(
          metrics.metricName(
              "records-deleted-total", TABLE_GROUP, "Tombstones sent as delete_record", tags),
          new CumulativeSum());
    }
  }
}
