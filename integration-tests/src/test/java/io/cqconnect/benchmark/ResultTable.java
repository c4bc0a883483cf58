package io.cqconnect.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's one table: a line per path, then the ratios; printed and written as JSON. */
final class ResultTable {

  /**
   * One measured path; {@code bytes} (in Kafka), {@code peakHeapMiB} (worker heap pools' peak used)
   * and {@code afterGcMiB} (largest worker heap right after a GC) are -1 where not measured; {@code
   * cpu} (each process's CPU over the run) is null where not measured.
   */
  record Line(
      String path,
      long rows,
      double seconds,
      long bytes,
      long peakHeapMiB,
      long afterGcMiB,
      String note,
      CpuMeter.Usage cpu) {

    Line(String path, long rows, double seconds, String note) {
      this(path, rows, seconds, -1, -1, -1, note, null);
    }

    /** This line under another path name. */
    Line renamed(String name) {
      return new Line(name, rows, seconds, bytes, peakHeapMiB, afterGcMiB, note, cpu);
    }

    Line withCpu(CpuMeter.Usage usage) {
      return new Line(path, rows, seconds, bytes, peakHeapMiB, afterGcMiB, note, usage);
    }

    double rate() {
      return rows / seconds;
    }
  }

  private final List<Line> lines = new ArrayList<>();
  private final Map<String, Object> facts = new LinkedHashMap<>();
  private final Map<String, Double> ratios = new LinkedHashMap<>();
  private final Map<String, List<Double>> runs = new LinkedHashMap<>();
  private final Map<String, List<Map<String, Double>>> timelines = new LinkedHashMap<>();
  private final Map<String, List<CpuMeter.Usage>> cpu = new LinkedHashMap<>();

  /**
   * Adds the median of a path's interleaved runs as its line (the median run's seconds; the medians
   * of its heap figures; the last run's bytes; no CPU of its own) and keeps every run's seconds and
   * CPU.
   */
  Line addMedian(List<Line> measured) {
    Line last = measured.get(measured.size() - 1);
    Line median =
        new Line(
            last.path(),
            last.rows(),
            median(measured.stream().mapToDouble(Line::seconds).toArray()),
            last.bytes(),
            (long) median(measured.stream().mapToDouble(Line::peakHeapMiB).toArray()),
            (long) median(measured.stream().mapToDouble(Line::afterGcMiB).toArray()),
            last.note() + ", median of " + measured.size(),
            null);
    runs.put(last.path(), measured.stream().map(Line::seconds).toList());
    measured.forEach(this::keepCpu);
    lines.add(median);
    return median;
  }

  /** The middle value (the mean of the two middle ones for an even count). */
  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The steps of each run of {@code name} (seconds from its start), printed step by step. */
  void timelines(String name, List<Timeline> runs) {
    timelines.put(name, runs.stream().map(Timeline::seconds).toList());
  }

  /** Prints a measured run as it ends (not part of the table). */
  static void progress(String label, Line line) {
    System.out.printf(
        "  %-10s %-34s %,12d rows in %7.2f s = %,9.0f rows/s%n",
        label, line.path(), line.rows(), line.seconds(), line.rate());
  }

  void add(Line line) {
    lines.add(line);
    keepCpu(line);
    System.out.printf(
        "  measured %-34s %,12d rows in %7.2f s = %,9.0f rows/s%n",
        line.path(), line.rows(), line.seconds(), line.rate());
  }

  Line line(String path) {
    return lines.stream()
        .filter(l -> l.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no measured path " + path));
  }

  void fact(String name, Object value) {
    facts.put(name, value);
  }

  /** {@code name} = rate of {@code a} / rate of {@code b}, with the goal it is checked against. */
  void rateRatio(String name, String a, String b) {
    ratios.put(name, line(a).rate() / line(b).rate());
  }

  void ratio(String name, double value) {
    ratios.put(name, value);
  }

  void print() {
    System.out.println();
    System.out.printf(
        "%-38s %11s %8s %9s %9s %9s %9s  %s%n",
        "path", "rows", "seconds", "rows/s", "Kafka MiB", "heap peak", "after GC", "note");
    for (Line l : lines) {
      System.out.printf(
          "%-38s %,11d %8.2f %,9.0f %9s %9s %9s  %s%n",
          l.path(),
          l.rows(),
          l.seconds(),
          l.rate(),
          l.bytes() < 0 ? "-" : String.format("%,d", l.bytes() >> 20),
          l.peakHeapMiB() < 0 ? "-" : String.valueOf(l.peakHeapMiB()),
          l.afterGcMiB() < 0 ? "-" : String.valueOf(l.afterGcMiB()),
          l.note());
    }
    System.out.println();
    ratios.forEach((k, v) -> System.out.printf("%-44s %6.2f%n", k, v));
    facts.forEach((k, v) -> System.out.printf("%-44s %s%n", k, v));
    if (!runs.isEmpty()) {
      System.out.println();
      System.out.println("seconds of each interleaved run (the table has their median):");
      runs.forEach(
          (k, v) ->
              System.out.printf(
                  "  %-60s %s%n",
                  k, String.join("  ", v.stream().map(x -> String.format("%7.2f", x)).toList())));
    }
    timelines.forEach(this::printTimeline);
    CpuTable.print(cpu);
  }

  private void keepCpu(Line line) {
    if (line.cpu() != null) {
      cpu.computeIfAbsent(line.path(), k -> new ArrayList<>()).add(line.cpu());
    }
  }

  private void printTimeline(String name, List<Map<String, Double>> runs) {
    System.out.println();
    System.out.println(name + ", seconds from the start of each run:");
    Map<String, Double> order = new LinkedHashMap<>();
    for (Map<String, Double> run : runs) {
      run.forEach((step, t) -> order.merge(step, t / runs.size(), Double::sum));
    }
    order.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(
            step -> {
              StringBuilder line = new StringBuilder(String.format("  %-44s", step.getKey()));
              for (Map<String, Double> run : runs) {
                Double t = run.get(step.getKey());
                line.append(t == null ? "        -" : String.format(" %8.2f", t));
              }
              System.out.println(line);
            });
  }

  void writeJson(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> paths = new ArrayList<>();
    for (Line l : lines) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", l.path());
      m.put("rows", l.rows());
      m.put("seconds", l.seconds());
      m.put("rowsPerSecond", Math.round(l.rate()));
      m.put("bytes", l.bytes());
      m.put("peakHeapMiB", l.peakHeapMiB());
      m.put("heapAfterGcMiB", l.afterGcMiB());
      m.put("note", l.note());
      paths.add(m);
    }
    root.put("paths", paths);
    root.put("runs", runs);
    root.put("timelines", timelines);
    root.put("cpu", cpu);
    root.put("ratios", ratios);
    root.put("facts", facts);
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }
}
