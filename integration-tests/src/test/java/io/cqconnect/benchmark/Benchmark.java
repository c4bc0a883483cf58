package io.cqconnect.benchmark;

import io.cqconnect.distribution.testing.LocalKafka;
import io.cqconnect.plugin.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/benchmark [rows]}: every path on the same rows of CloudQuery's test source in one run
 * (bare decode, CLI into the test destination, source connector per converter, CLI and sink
 * connector into PostgreSQL, worker heap at 1x and 5x rows, restart to first record); prints one
 * table with the ratios and writes it to {@code target/benchmark.json}. Not a test.
 */
public final class Benchmark {

  /** About 20 s for the fastest connector path on the 2-core development machine. */
  static final long DEFAULT_ROWS = 1_000_000;

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    long wanted = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : DEFAULT_ROWS;
    Workload w = Workload.ofRows(wanted);
    Path out = Path.of(args.length > 1 ? args[1] : "target/benchmark.json");
    Path work = Files.createTempDirectory("cq-benchmark");
    String stamp = Long.toString(System.currentTimeMillis() / 1000);
    ResultTable table = new ResultTable();
    table.fact("spec", w.specJson() + " (test_paid_table skipped)");
    table.fact("rows per sync", w.rows());
    table.fact("load average at start", loadAverage());
    table.fact("work directory", work.toString());
    System.out.printf(
        "cq-source-test %s: %,d rows per path; work in %s%n", w.specJson(), w.rows(), work);

    double pluginStart = BarePath.pluginStartSeconds();
    table.add(BarePath.run(w));
    table.add(CliPath.run("CLI -> test destination", w, Fixtures.DEST_TEST, "{}", work));

    int jmx = LocalKafka.freePort();
    try (ConnectWorker kafka = ConnectWorker.start(work, jmx);
        WorkerProbe probe = new WorkerProbe(jmx, kafka.worker().pid())) {
      ConnectorPaths connect = new ConnectorPaths(kafka, probe);
      table.add(connect.source("json", w, true, work.resolve("json-schemas-on.jfr")));
      ResultTable.Line plain =
          connect.source("plain", w, false, work.resolve("json-schemas-off.jfr"));
      table.add(plain);
      table.add(connect.sourceArrow("arrow", w, work.resolve("arrow.jfr")));
      double restart = connect.restartToFirstRecord("plain");
      kafka.delete("json");
      kafka.delete("plain");
      kafka.delete("arrow");
      ResultTable.Line five = connect.source("plain5", w.times(5), false, null);
      table.add(
          new ResultTable.Line(
              "connector -> Kafka, schemas off, 5x",
              five.rows(),
              five.seconds(),
              five.bytes(),
              five.peakHeapMiB(),
              five.afterGcMiB(),
              five.note()));
      kafka.delete("plain5");
      table.add(
          CliPath.run(
              "CLI -> PostgreSQL",
              w,
              Fixtures.DEST_POSTGRESQL,
              PostgresDb.spec(createDb("bench_cli_" + stamp)),
              work));
      table.add(connect.sink("json", w, "bench_sink_" + stamp, work.resolve("sink.jfr")));
      table.add(
          connect.sink(
              "arrow", w, "bench_sink_arrow_" + stamp, work.resolve("sink-arrow.jfr"), true));

      String source = "connector -> Kafka, JSON schemas on";
      String plainPath = "connector -> Kafka, JSON schemas off";
      table.rateRatio("schemas on / CLI->test (goal >= 1.0)", source, "CLI -> test destination");
      table.rateRatio(
          "schemas off / CLI->test (goal >= 1.0)", plainPath, "CLI -> test destination");
      String arrowPath = "connector -> Kafka, record.format=arrow (ByteArrayConverter)";
      table.rateRatio("arrow / CLI->test (goal >= 1.0)", arrowPath, "CLI -> test destination");
      table.rateRatio("arrow / bare (goal >= 0.8)", arrowPath, "bare decode");
      table.rateRatio("schemas on / bare (goal >= 0.8)", source, "bare decode");
      table.rateRatio("schemas off / bare (goal >= 0.8)", plainPath, "bare decode");
      table.rateRatio(
          "sink / CLI->PostgreSQL (goal >= 0.9)",
          "Kafka -> sink connector -> PostgreSQL",
          "CLI -> PostgreSQL");
      table.rateRatio(
          "sink, arrow / CLI->PostgreSQL (goal >= 0.9)",
          "Kafka (arrow) -> sink connector -> PostgreSQL",
          "CLI -> PostgreSQL");
      table.ratio(
          "peak heap 5x / 1x, schemas off (goal <= 1.1)",
          (double) five.peakHeapMiB() / plain.peakHeapMiB());
      table.ratio(
          "heap after GC 5x / 1x, schemas off (goal <= 1.1)",
          (double) five.afterGcMiB() / plain.afterGcMiB());
      table.fact("restart to first record (s)", String.format("%.2f", restart));
      table.fact("plugin start to GetVersions (s)", String.format("%.2f", pluginStart));
      table.fact(
          "goal restart <= plugin start + 1 s", restart <= pluginStart + 1 ? "met" : "missed");
      table.fact(
          "JFR of the worker",
          work + "/{json-schemas-on,json-schemas-off,arrow,sink,sink-arrow}.jfr");
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

  private static String createDb(String name) throws Exception {
    PostgresDb.create(name);
    return name;
  }

  private static String loadAverage() {
    return String.format(
        "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
