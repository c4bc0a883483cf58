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
   * and {@code afterGcMiB} (largest worker heap right after a GC) are -1 where not measured.
   */
  record Line(
      String path,
      long rows,
      double seconds,
      long bytes,
      long peakHeapMiB,
      long afterGcMiB,
      String note) {

    Line(String path, long rows, double seconds, String note) {
      this(path, rows, seconds, -1, -1, -1, note);
    }

    double rate() {
      return rows / seconds;
    }
  }

  private final List<Line> lines = new ArrayList<>();
  private final Map<String, Object> facts = new LinkedHashMap<>();
  private final Map<String, Double> ratios = new LinkedHashMap<>();

  void add(Line line) {
    lines.add(line);
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
    root.put("ratios", ratios);
    root.put("facts", facts);
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }
}
