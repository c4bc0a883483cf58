package io.cqconnect.benchmark;

import io.cqconnect.distribution.testing.LocalKafka;
import io.cqconnect.plugin.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/benchmark [rows [json [rounds]]]}: every path on the same rows of CloudQuery's test
 * source in one run, after one small untimed warm-up sync of each kind (JIT, page cache, the plugin
 * binaries) and one at the measured size of the bare decode and each source kind (the worker's and
 * the broker's JIT); one JFR recording of the worker runs throughout; the key paths (bare decode,
 * CLI into the test destination, the source connector with {@code record.format=arrow} and with
 * JSON schemas off) run interleaved {@code rounds} times, in a rotated order each round, and count
 * by their median; then once each: schemas on, 5x rows for heap (schemas off and arrow), restart to
 * first record, CLI and sink connector into PostgreSQL. Prints one table with the ratios of the
 * medians, every run's seconds and the arrow source's wall-clock steps next to the bare decode's,
 * and each run's CPU per process ({@link CpuMeter}), and writes it to {@code
 * target/benchmark.json}. Not a test.
 */
public final class Benchmark {

  /** About 20 s for the fastest connector path on the 2-core development machine. */
  static final long DEFAULT_ROWS = 1_000_000;

  /** Interleaved runs of each key path (the third argument). */
  static final int DEFAULT_ROUNDS = 3;

  /** Rows of the untimed warm-up sync of each kind. */
  static final long WARM_UP_ROWS = 20_000;

  private static final String BARE = "bare decode";
  private static final String CLI_TEST = "CLI -> test destination";
  private static final String SCHEMAS_ON = "connector -> Kafka, JSON schemas on";
  private static final String SCHEMAS_OFF = "connector -> Kafka, JSON schemas off";
  private static final String ARROW =
      "connector -> Kafka, record.format=arrow (ByteArrayConverter)";
  private static final List<String> KEY_PATHS = List.of(BARE, CLI_TEST, ARROW, SCHEMAS_OFF);

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    long wanted = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : DEFAULT_ROWS;
    Workload w = Workload.ofRows(wanted);
    Workload warm = Workload.ofRows(Math.min(WARM_UP_ROWS, wanted));
    Path out = Path.of(args.length > 1 ? args[1] : "target/benchmark.json");
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_ROUNDS;
    Path work = Files.createTempDirectory("cq-benchmark");
    String stamp = Long.toString(System.currentTimeMillis() / 1000);
    ResultTable table = new ResultTable();
    table.fact("spec", w.specJson() + " (test_paid_table skipped)");
    table.fact("rows per sync", w.rows());
    table.fact("interleaved rounds of the key paths", rounds);
    table.fact("warm-up rows per path (untimed)", warm.rows());
    table.fact("load average at start", loadAverage());
    table.fact("work directory", work.toString());
    System.out.printf(
        "cq-source-test %s: %,d rows per path, key paths %d times interleaved; work in %s%n",
        w.specJson(), w.rows(), rounds, work);

    double pluginStart = BarePath.pluginStartSeconds();
    int jmx = LocalKafka.freePort();
    try (ConnectWorker kafka = ConnectWorker.start(work, jmx);
        WorkerProbe probe = new WorkerProbe(jmx, kafka.worker().pid())) {
      ConnectorPaths connect = new ConnectorPaths(kafka, probe);
      probe.startRecording();
      warmUp(connect, warm, work.resolve("warm-up"), stamp, kafka.worker().pid());
      warmUpSources(connect, w, kafka.worker().pid());

      Map<String, List<ResultTable.Line>> measured = new LinkedHashMap<>();
      KEY_PATHS.forEach(p -> measured.put(p, new ArrayList<>()));
      List<Timeline> bareSteps = new ArrayList<>();
      List<Timeline> arrowSteps = new ArrayList<>();
      for (int r = 1; r <= rounds; r++) {
        boolean last = r == rounds;
        List<String> order = new ArrayList<>(KEY_PATHS);
        Collections.rotate(order, -(r - 1));
        for (String path : order) {
          ResultTable.Line line;
          if (path.equals(BARE)) {
            Timeline steps = new Timeline();
            line = BarePath.run(w, steps, kafka.worker().pid());
            bareSteps.add(steps);
          } else if (path.equals(CLI_TEST)) {
            line = CliPath.run(CLI_TEST, w, Fixtures.DEST_TEST, "{}", work, kafka.worker().pid());
          } else if (path.equals(ARROW)) {
            ConnectorPaths.Measured m =
                connect.sourceArrow("arrow-r" + r, w, last ? work.resolve("arrow.jfr") : null);
            line = m.line();
            arrowSteps.add(m.timeline());
            connect.settle("arrow-r" + r, true);
          } else {
            line =
                connect.source(
                    "plain-r" + r, w, false, last ? work.resolve("json-schemas-off.jfr") : null);
            // The last round's connector stays for the restart below.
            connect.settle("plain-r" + r, !last);
          }
          ResultTable.progress("round " + r + "/" + rounds, line);
          measured.get(path).add(line);
        }
      }
      ResultTable.Line plain = null;
      ResultTable.Line arrow = null;
      for (Map.Entry<String, List<ResultTable.Line>> e : measured.entrySet()) {
        ResultTable.Line median = table.addMedian(e.getValue());
        plain = e.getKey().equals(SCHEMAS_OFF) ? median : plain;
        arrow = e.getKey().equals(ARROW) ? median : arrow;
      }
      table.timelines("bare decode (from the plugin launch)", bareSteps);
      table.timelines("record.format=arrow source (from the config PUT)", arrowSteps);

      table.add(connect.source("json", w, true, work.resolve("json-schemas-on.jfr")));
      connect.settle("json", true);
      double restart = connect.restartToFirstRecord("plain-r" + rounds);
      connect.settle("plain-r" + rounds, true);
      ResultTable.Line five = connect.source("plain5", w.times(5), false, null);
      table.add(five.renamed("connector -> Kafka, schemas off, 5x"));
      connect.settle("plain5", true);
      ResultTable.Line arrowFive = connect.sourceArrow("arrow5", w.times(5), null).line();
      table.add(arrowFive.renamed("connector -> Kafka, arrow, 5x"));
      connect.settle("arrow5", true);
      table.add(
          CliPath.run(
              "CLI -> PostgreSQL",
              w,
              Fixtures.DEST_POSTGRESQL,
              PostgresDb.spec(createDb("bench_cli_" + stamp)),
              work,
              kafka.worker().pid()));
      table.add(connect.sink("json", w, "bench_sink_" + stamp, work.resolve("sink.jfr")));
      table.add(
          connect.sink(
              "arrow-r" + rounds,
              w,
              "bench_sink_arrow_" + stamp,
              work.resolve("sink-arrow.jfr"),
              true));

      table.rateRatio("schemas on / CLI->test (goal >= 1.0)", SCHEMAS_ON, CLI_TEST);
      table.rateRatio("schemas off / CLI->test (goal >= 1.0)", SCHEMAS_OFF, CLI_TEST);
      table.rateRatio("arrow / CLI->test (goal >= 1.0)", ARROW, CLI_TEST);
      table.rateRatio("arrow / bare (goal >= 0.8)", ARROW, BARE);
      table.rateRatio("schemas on / bare (goal >= 0.8)", SCHEMAS_ON, BARE);
      table.rateRatio("schemas off / bare (goal >= 0.8)", SCHEMAS_OFF, BARE);
      table.rateRatio(
          "sink / CLI->PostgreSQL (goal >= 0.9)",
          "Kafka -> sink connector -> PostgreSQL",
          "CLI -> PostgreSQL");
      table.rateRatio(
          "sink, arrow / CLI->PostgreSQL (goal >= 0.9)",
          "Kafka (arrow) -> sink connector -> PostgreSQL",
          "CLI -> PostgreSQL");
      heapRatio(table, "peak heap 5x / 1x, schemas off", five.peakHeapMiB(), plain.peakHeapMiB());
      heapRatio(table, "heap after GC 5x / 1x, schemas off", five.afterGcMiB(), plain.afterGcMiB());
      heapRatio(table, "heap after GC 5x / 1x, arrow", arrowFive.afterGcMiB(), arrow.afterGcMiB());
      table.fact("restart to first record (s)", String.format("%.2f", restart));
      table.fact("plugin start to GetVersions (s)", String.format("%.2f", pluginStart));
      table.fact(
          "goal restart <= plugin start + 1 s", restart <= pluginStart + 1 ? "met" : "missed");
      table.fact(
          "JFR of the worker",
          work
              + "/{json-schemas-on,json-schemas-off,arrow,sink,sink-arrow}.jfr"
              + " (schemas off and arrow: the last round)");
    }
    table.fact("load average at end", loadAverage());
    table.print();
    table.writeJson(out);
    System.out.println();
    for (String run :
        List.of("json-schemas-on", "json-schemas-off", "arrow", "sink", "sink-arrow")) {
      JfrHotspots.print(work.resolve(run + ".jfr"), 10);
    }
    System.out.println("written " + out.toAbsolutePath());
  }

  /**
   * One small untimed sync of each kind, so that the JIT, the page cache and the plugin binaries
   * are warm for every timed path alike.
   */
  private static void warmUp(
      ConnectorPaths connect, Workload warm, Path dir, String stamp, long workerPid)
      throws Exception {
    System.out.printf("warm-up: one untimed sync of each kind on %,d rows%n", warm.rows());
    BarePath.run(warm, new Timeline(), workerPid);
    CliPath.run("warm-up", warm, Fixtures.DEST_TEST, "{}", dir, workerPid);
    warmSources(connect, warm, "warm");
    CliPath.run(
        "warm-up",
        warm,
        Fixtures.DEST_POSTGRESQL,
        PostgresDb.spec(createDb("bench_warm_cli_" + stamp)),
        dir,
        workerPid);
    connect.sink("warm-json", warm, "bench_warm_sink_" + stamp, null);
    connect.sink("warm-arrow", warm, "bench_warm_sink_arrow_" + stamp, null, true);
  }

  /**
   * One more untimed sync of each source kind at the measured size: after the small warm-up the
   * worker's and the broker's JIT compilers still took 2 to 4 CPU seconds of each 300,000-row
   * connector run (their compiler threads in the CPU table), which the bare decode never pays.
   */
  private static void warmUpSources(ConnectorPaths connect, Workload w, long workerPid)
      throws Exception {
    System.out.printf(
        "warm-up: one untimed bare decode and sync of each source kind on %,d rows%n", w.rows());
    BarePath.run(w, new Timeline(), workerPid);
    warmSources(connect, w, "warm-full");
  }

  /**
   * An untimed sync of each source kind into topics {@code prefix-json}, {@code prefix-plain} and
   * {@code prefix-arrow} (the small warm-up's sinks read the first and the last).
   */
  private static void warmSources(ConnectorPaths connect, Workload w, String prefix)
      throws Exception {
    connect.source(prefix + "-json", w, true, null);
    connect.settle(prefix + "-json", true);
    connect.source(prefix + "-plain", w, false, null);
    connect.settle(prefix + "-plain", true);
    connect.sourceArrow(prefix + "-arrow", w, null);
    connect.settle(prefix + "-arrow", true);
  }

  /** {@code five / one} as a ratio with its goal, or a fact saying why there is none. */
  private static void heapRatio(ResultTable table, String name, long five, long one) {
    if (one > 0) {
      table.ratio(name + " (goal <= 1.1)", (double) five / one);
    } else {
      table.fact(name, "not measured: no GC during the 1x run (too few rows)");
    }
  }

  private static String createDb(String name) throws Exception {
    PostgresDb.create(name);
    return name;
  }

  private static String loadAverage() {
    return String.format(
        "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
