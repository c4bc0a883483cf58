package io.cqconnect.benchmark;

import io.cqconnect.distribution.testing.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/benchmark producer [rows [rounds]]}: the source connector into Kafka with the image's
 * producer settings against connector-level producer overrides, interleaved in rotated order on one
 * warm worker, with each run's CPU per process: does a setting cut the broker's or the worker's CPU
 * per row? Prints the runs, their medians and the CPU table. Not a test.
 */
public final class ProducerSettings {

  /** A source kind with its connector overrides. */
  private record Variant(String label, boolean arrow, Map<String, String> overrides) {}

  private static final List<Variant> VARIANTS =
      List.of(
          new Variant("arrow, image settings (lz4)", true, Map.of()),
          new Variant(
              "arrow, compression none",
              true,
              Map.of("producer.override.compression.type", "none")),
          new Variant(
              "arrow, lz4, linger.ms=20", true, Map.of("producer.override.linger.ms", "20")),
          new Variant("schemas off, image settings (lz4)", false, Map.of()),
          new Variant(
              "schemas off, compression none",
              false,
              Map.of("producer.override.compression.type", "none")));

  private ProducerSettings() {}

  public static void main(String[] args) throws Exception {
    Workload w = Workload.ofRows(args.length > 0 ? Long.parseLong(args[0]) : 300_000);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createTempDirectory("cq-producer-settings");
    System.out.printf(
        "cq-source-test %s: %,d rows, %d variants x %d rounds; load average %.2f%n",
        w.specJson(), w.rows(), VARIANTS.size(), rounds, load());
    ResultTable table = new ResultTable();
    try (ConnectWorker kafka = ConnectWorker.start(work, LocalKafka.freePort());
        WorkerProbe probe = new WorkerProbe(kafka.worker().jmxPort(), kafka.worker().pid())) {
      ConnectorPaths connect = new ConnectorPaths(kafka, probe);
      // Warm-up at the measured size, as bin/benchmark does: the JIT of the worker and the broker.
      for (Variant v : VARIANTS) {
        run(connect, v, "warm-" + VARIANTS.indexOf(v), w);
      }
      Map<String, List<ResultTable.Line>> measured = new LinkedHashMap<>();
      VARIANTS.forEach(v -> measured.put(v.label(), new ArrayList<>()));
      for (int r = 1; r <= rounds; r++) {
        List<Variant> order = new ArrayList<>(VARIANTS);
        Collections.rotate(order, -(r - 1));
        for (Variant v : order) {
          ResultTable.Line line = run(connect, v, "v" + VARIANTS.indexOf(v) + "-r" + r, w);
          ResultTable.progress("round " + r, line);
          measured.get(v.label()).add(line);
        }
      }
      measured.values().forEach(table::addMedian);
    }
    table.fact("load average at end", String.format("%.2f", load()));
    table.print();
  }

  private static ResultTable.Line run(ConnectorPaths connect, Variant v, String name, Workload w)
      throws Exception {
    ResultTable.Line line =
        v.arrow()
            ? connect.sourceArrow(name, w, null, v.overrides()).line()
            : connect.source(name, w, false, null, v.overrides());
    connect.settle(name, true);
    return line.renamed(v.label());
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
