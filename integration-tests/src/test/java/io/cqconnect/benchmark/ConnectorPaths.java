package io.cqconnect.benchmark;

import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector paths on one worker process: source connector into Kafka per converter, a task
 * restart to its first record, and the sink connector from a filled topic into PostgreSQL.
 */
final class ConnectorPaths {

  /** Rows of one sync plus its end-of-sync markers (one per table). */
  private static final int MARKERS = Workload.TABLES.length;

  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private final ConnectWorker kafka;
  private final WorkerProbe probe;

  ConnectorPaths(ConnectWorker kafka, WorkerProbe probe) {
    this.kafka = kafka;
    this.probe = probe;
  }

  static List<String> topics(String prefix) {
    return Arrays.stream(Workload.TABLES).map(t -> prefix + "." + t).toList();
  }

  /**
   * Source connector {@code name} (topics {@code name.<table>}) with JsonConverter, schemas on or
   * off: seconds from the config PUT until the topics hold every row and both markers.
   */
  ResultTable.Line source(String name, Workload w, boolean schemas, Path jfr) throws Exception {
    return source(name, w, schemas, jfr, Map.of());
  }

  /** The same with connector config {@code overrides} (for example producer overrides). */
  ResultTable.Line source(
      String name, Workload w, boolean schemas, Path jfr, Map<String, String> overrides)
      throws Exception {
    Map<String, String> config = sourceConfig(name, w);
    config.putAll(overrides);
    for (String side : List.of("key", "value")) {
      config.put(side + ".converter", "org.apache.kafka.connect.json.JsonConverter");
      config.put(side + ".converter.schemas.enable", String.valueOf(schemas));
    }
    probe.resetPeak();
    if (jfr != null) {
      probe.startJfr(jfr);
    }
    CpuMeter cpu = CpuMeter.start(kafka.worker().pid());
    long started = System.nanoTime();
    kafka.put(name, config);
    kafka.awaitOffsets(topics(name), w.rows() + MARKERS, TIMEOUT);
    double seconds = (System.nanoTime() - started) / 1e9;
    CpuMeter.Usage usage = cpu.stop();
    long heap = probe.peakHeapMiB();
    long afterGc = probe.peakAfterGcMiB();
    if (jfr != null) {
      probe.stopJfr();
    }
    return new ResultTable.Line(
        "connector -> Kafka, JSON schemas " + (schemas ? "on" : "off"),
        w.rows(),
        seconds,
        kafka.bytes(topics(name)),
        heap,
        afterGc,
        "config PUT to last record",
        usage);
  }

  /**
   * Source connector {@code name} with {@code record.format=arrow} and ByteArrayConverter values
   * (keys: the worker's JsonConverter): seconds from the config PUT until every topic ends with its
   * end-of-sync marker; the rows are then counted from the batches' {@code cq.rows} headers. The
   * returned timeline has the run's steps (see {@link #arrowSteps}); {@code jfr} may be null.
   */
  Measured sourceArrow(String name, Workload w, Path jfr) throws Exception {
    return sourceArrow(name, w, jfr, Map.of());
  }

  /** The same with connector config {@code overrides} (for example producer overrides). */
  Measured sourceArrow(String name, Workload w, Path jfr, Map<String, String> overrides)
      throws Exception {
    Map<String, String> config = sourceConfig(name, w);
    config.putAll(overrides);
    config.put("record.format", "arrow");
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    probe.resetPeak();
    if (jfr != null) {
      probe.startJfr(jfr);
    }
    Timeline timeline = new Timeline();
    CpuMeter cpu = CpuMeter.start(kafka.worker().pid());
    long started = System.nanoTime();
    kafka.put(name, config);
    timeline.mark("config PUT answered (validated, stored)");
    long rows;
    double seconds;
    CpuMeter.Usage usage;
    try (ArrowTopics topics = new ArrowTopics(kafka.bootstrap(), topics(name))) {
      topics.awaitMarkers(TIMEOUT, timeline);
      seconds = (System.nanoTime() - started) / 1e9;
      usage = cpu.stop();
      if (jfr != null) {
        probe.stopJfr();
      }
      rows = topics.rows();
    }
    if (rows != w.rows()) {
      throw new IllegalStateException(
          "arrow topics of " + name + " hold " + rows + " rows, expected " + w.rows());
    }
    awaitCommitted(name);
    arrowSteps(name, timeline);
    return new Measured(
        new ResultTable.Line(
            "connector -> Kafka, record.format=arrow (ByteArrayConverter)",
            rows,
            seconds,
            kafka.bytes(topics(name)),
            probe.peakHeapMiB(),
            probe.peakAfterGcMiB(),
            "config PUT to last marker",
            usage),
        timeline);
  }

  /** A measured run and its steps. */
  record Measured(ResultTable.Line line, Timeline timeline) {}

  /** The worker log's steps of source {@code name}'s first sync, into {@code timeline}. */
  private void arrowSteps(String name, Timeline timeline) throws Exception {
    Path log = kafka.worker().log();
    String ready = "is ready, protocol versions";
    String syncStarted = "of source '" + name + "' started";
    Map<String, String> steps = new java.util.LinkedHashMap<>();
    steps.put("validate's plugin ready", ready);
    steps.put("connector created", "Finished creating connector " + name);
    steps.put("task created", "Creating task " + name + "-0");
    steps.put("task started (our start() returned)", "Started task 0 of source '" + name + "'");
    steps.put("Connect: task initialized and started", name + "-0} Source task finished init");
    steps.put("sync started (Sync requested)", syncStarted);
    steps.put("plugin's Sync stream ended", "of source '" + name + "' ended");
    steps.put("sync committed (task idles)", "Source '" + name + "' finished its sync");
    timeline.fromLog(log, steps);
    timeline.lastFromLogBefore(log, "task's plugin ready", ready, syncStarted);
  }

  /**
   * After a measured run of source {@code name}: waits (untimed) until its sync committed, deletes
   * the connector if {@code delete}, and gives the worker a second to stop the task, so the next
   * run does not share the machine with this one's shutdown.
   */
  void settle(String name, boolean delete) throws Exception {
    awaitCommitted(name);
    if (delete) {
      kafka.delete(name);
    }
    Thread.sleep(1000);
  }

  /** Waits (untimed, up to 2 min) until the task of {@code name} logged its sync committed. */
  private void awaitCommitted(String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!java.nio.file.Files.readString(kafka.worker().log())
        .contains("Source '" + name + "' finished its sync")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "connector " + name + " never logged the end of its sync; see " + kafka.worker().log());
      }
      Thread.sleep(100);
    }
  }

  private static Map<String, String> sourceConfig(String name, Workload w) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.cqconnect.source.CloudQuerySourceConnector");
    config.put("tasks.max", "1");
    config.put("plugin.path", Fixtures.binary(Fixtures.SOURCE_TEST).toString());
    config.put("plugin.args", "--no-sentry");
    config.put("plugin.spec", w.specJson());
    config.put("tables", "*");
    config.put("skip.tables", String.join(",", Fixtures.SOURCE_TEST_SKIP));
    config.put("topic.prefix", name + ".");
    config.put("sync.interval.ms", "0");
    return config;
  }

  /**
   * After connector {@code name}'s sync committed (its task logged that it idles), restarts the
   * task and returns seconds from the restart call to the first record of the new sync.
   */
  double restartToFirstRecord(String name) throws Exception {
    awaitCommitted(name);
    long before = kafka.endOffsets(topics(name));
    long started = System.nanoTime();
    kafka.restartTask(name);
    kafka.awaitOffsets(topics(name), before + 1, Duration.ofMinutes(2));
    return (System.nanoTime() - started) / 1e9;
  }

  /**
   * Sink connector writing topics {@code prefix.<table>} (filled with schemas on) into database
   * {@code db}: seconds from the config PUT until the tables hold {@code w.rows()} rows, with the
   * worker recorded by JFR into {@code jfr}.
   */
  ResultTable.Line sink(String prefix, Workload w, String db, Path jfr) throws Exception {
    return sink(prefix, w, db, jfr, false);
  }

  /**
   * The same from topics a source with {@code record.format=arrow} filled ({@code arrow}), read
   * with ByteArrayConverter values.
   */
  ResultTable.Line sink(String prefix, Workload w, String db, Path jfr, boolean arrow)
      throws Exception {
    PostgresDb.create(db);
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", "io.cqconnect.sink.CloudQuerySinkConnector");
    config.put("tasks.max", "1");
    config.put("topics", String.join(",", topics(prefix)));
    config.put("plugin.path", Fixtures.binary(Fixtures.DEST_POSTGRESQL).toString());
    config.put("plugin.args", "--no-sentry");
    config.put("plugin.spec", PostgresDb.spec(db));
    config.put("write.mode", "overwrite-delete-stale");
    config.put("consumer.override.auto.offset.reset", "earliest");
    if (arrow) {
      config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    } else {
      // The sink needs the schemas its topics were written with (the documented pipeline setup).
      for (String side : List.of("key", "value")) {
        config.put(side + ".converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put(side + ".converter.schemas.enable", "true");
      }
    }
    if (jfr != null) {
      probe.startJfr(jfr);
    }
    CpuMeter cpu = CpuMeter.start(kafka.worker().pid());
    long started = System.nanoTime();
    kafka.put("sink-" + db, config);
    long deadline = started + TIMEOUT.toNanos();
    long rows = 0;
    while ((rows = PostgresDb.rows(db)) < w.rows()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "sink wrote " + rows + " of " + w.rows() + " rows; worker log " + kafka.worker().log());
      }
      Thread.sleep(200);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    CpuMeter.Usage usage = cpu.stop();
    if (jfr != null) {
      probe.stopJfr();
    }
    kafka.delete("sink-" + db);
    return new ResultTable.Line(
        arrow
            ? "Kafka (arrow) -> sink connector -> PostgreSQL"
            : "Kafka -> sink connector -> PostgreSQL",
        rows,
        seconds,
        -1,
        -1,
        -1,
        "config PUT to row count in PostgreSQL",
        usage);
  }
}
