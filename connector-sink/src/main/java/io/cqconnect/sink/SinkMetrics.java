package io.cqconnect.sink;

import io.cqconnect.plugin.TaskMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * The sink task's JMX metrics, under the domain {@code kafka.connect.cloudquery}: type {@code
 * sink-task-metrics} (tags connector, task) with flushes, flush latency, delete-stales, records
 * sent to the dead letter queue and plugin restarts; type {@code sink-table-metrics} (tags
 * connector, task, table) with rows written, rows deleted and tombstones skipped. What Connect
 * already publishes per sink task (put rates, offset commits) is not repeated. Thread-safe; closed
 * with the task.
 */
public final class SinkMetrics implements AutoCloseable {

  /** The JMX domain of every cq-connect metric. */
  public static final String DOMAIN = TaskMetrics.DOMAIN;

  static final String TASK_GROUP = "sink-task-metrics";
  static final String TABLE_GROUP = "sink-table-metrics";

  private final TaskMetrics metrics;
  private final Map<String, TableSensors> tables = new ConcurrentHashMap<>();
  private final Sensor flushes;
  private final Sensor flushLatency;
  private final Sensor staleDeletes;
  private final Sensor dlqRecords;
  private final Sensor pluginRestarts;
  private final Sensor writeFailures;

  SinkMetrics(String connector, int task) {
    this.metrics = new TaskMetrics(connector, task);
    flushes =
        metrics.counter(
            "flushes", TASK_GROUP, "Write streams completed and confirmed by the destination");
    flushLatency = metrics.sensor("flush-latency");
    flushLatency.add(
        metrics.name(
            "flush-latency-ms-avg", TASK_GROUP, "Average time from half-close to the answer, ms"),
        new Avg());
    flushLatency.add(
        metrics.name(
            "flush-latency-ms-max", TASK_GROUP, "Longest time from half-close to the answer, ms"),
        new Max());
    staleDeletes =
        metrics.counter(
            "delete-stale", TASK_GROUP, "Delete-stale messages confirmed by the destination");
    dlqRecords =
        metrics.counter(
            "dlq-records", TASK_GROUP, "Records handed to the errant record reporter (DLQ)");
    pluginRestarts =
        metrics.counter(
            "plugin-restarts", TASK_GROUP, "Times the destination plugin was opened again");
    writeFailures =
        metrics.counter(
            "write-failures", TASK_GROUP, "Write streams that failed (each is retried or fatal)");
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

  /**
   * A tombstone of {@code table} was not applied: it has no key (it names no row), or the
   * destination refused its delete for a table this task never created.
   */
  void tombstoneSkipped(String table) {
    table(table).tombstonesSkipped.record();
  }

  void writeFailed() {
    writeFailures.record();
  }

  /** The underlying registry (tests read values from it). */
  Metrics registry() {
    return metrics.registry();
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
    final Sensor deletes;
    final Sensor tombstonesSkipped;

    TableSensors(String table) {
      rows =
          metrics.tableCounter(
              table,
              "rows-written",
              TABLE_GROUP,
              "Rows confirmed written",
              "Rows confirmed per second");
      deletes =
          metrics.tableCounter(
              table, "records-deleted", TABLE_GROUP, "Tombstones sent as delete_record", null);
      tombstonesSkipped =
          metrics.tableCounter(
              table,
              "tombstones-skipped",
              TABLE_GROUP,
              "Tombstones not applied: without a key (no row named), or refused by the destination"
                  + " for a table this task never created",
              null);
    }
  }
}
