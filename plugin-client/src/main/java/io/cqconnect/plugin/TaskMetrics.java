package io.cqconnect.plugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.utils.Time;

/**
 * The JMX plumbing both connectors' task metrics share: one Kafka {@link Metrics} registry per task
 * under the domain {@code kafka.connect.cloudquery}, tagged {@code connector} and {@code task} (and
 * {@code table} for per-table groups), with intention-free helpers for counters, rates and gauges.
 */
public final class TaskMetrics implements AutoCloseable {

  /** The JMX domain of every cq-connect metric. */
  public static final String DOMAIN = "kafka.connect.cloudquery";

  private final Metrics metrics;
  private final Map<String, String> taskTags;
  private final String sensorSuffix;

  public TaskMetrics(String connector, int task) {
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
  }

  /** The tags of a per-table metric. */
  public Map<String, String> tableTags(String table) {
    Map<String, String> tags = new LinkedHashMap<>(taskTags);
    tags.put("table", table);
    return tags;
  }

  /** A metric name in {@code group} with the task's tags. */
  public MetricName name(String metric, String group, String description) {
    return metrics.metricName(metric, group, description, taskTags);
  }

  /** A metric name in {@code group} with the given tags. */
  public MetricName name(
      String metric, String group, String description, Map<String, String> tags) {
    return metrics.metricName(metric, group, description, tags);
  }

  /** A sensor unique to this task ({@code key} names it among the task's sensors). */
  public Sensor sensor(String key) {
    return metrics.sensor(key + sensorSuffix);
  }

  /** A sensor publishing {@code <metric>-total}, the sum of what it records. */
  public Sensor counter(String metric, String group, String description) {
    Sensor sensor = sensor(metric);
    sensor.add(name(metric + "-total", group, description), new CumulativeSum());
    return sensor;
  }

  /**
   * A per-table sensor publishing {@code <metric>-total} and, when {@code rateDescription} is not
   * null, {@code <metric>-rate} per second.
   */
  public Sensor tableCounter(
      String table, String metric, String group, String description, String rateDescription) {
    Map<String, String> tags = tableTags(table);
    Sensor sensor = sensor(metric + "-" + table);
    sensor.add(name(metric + "-total", group, description, tags), new CumulativeSum());
    if (rateDescription != null) {
      sensor.add(name(metric + "-rate", group, rateDescription, tags), new Rate());
    }
    return sensor;
  }

  /** A gauge in {@code group} with the task's tags. */
  public void gauge(String metric, String group, String description, Supplier<Number> value) {
    metrics.addMetric(
        name(metric, group, description), (Gauge<Number>) (config, now) -> value.get());
  }

  /** The underlying registry (tests and the metrics reference read it). */
  public Metrics registry() {
    return metrics;
  }

  @Override
  public void close() {
    metrics.close();
  }
}
