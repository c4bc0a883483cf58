package io.cqconnect.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints the CPU of each measured run: seconds per process and their share of the machine's cores
 * over the run's wall time (about 1 = CPU-bound, well below = waiting), next to the machine's busy
 * share (what is not ours is other load); then the busiest threads of the worker and the broker.
 */
final class CpuTable {

  /** Column heading per process role; roles not listed add up under "other". */
  private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("plugin cq-source-test", "plugin");
    COLUMNS.put(CpuMeter.WORKER, "worker");
    COLUMNS.put(CpuMeter.BROKER, "broker");
    COLUMNS.put(CpuMeter.BENCHMARK, "bench");
    COLUMNS.put(CpuMeter.BENCHMARK + CpuMeter.EXITED, "CLI tree");
    COLUMNS.put(CpuMeter.WORKER + CpuMeter.EXITED, "w.exited");
  }

  private CpuTable() {}

  static void print(Map<String, List<CpuMeter.Usage>> byPath) {
    if (byPath.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.println(
        "CPU seconds per process over each run (/proc/PID/stat utime+stime); share = their sum /"
            + " (cores x wall);");
    System.out.println(
        "machine = the whole machine's busy share (/proc/stat), others = machine - ours;"
            + " 'CLI tree' = the CLI and its plugins (exited children of the benchmark JVM);"
            + " 'w.exited' = the plugins the worker launched and that exited (the validate's, and"
            + " the task's, stopped once its sync committed); JIT = the worker's and the broker's"
            + " compiler threads (part of their columns)");
    StringBuilder head = new StringBuilder(String.format("  %-40s %6s", "path, run", "wall"));
    COLUMNS.values().forEach(c -> head.append(String.format(" %8s", c)));
    head.append(
        String.format(
            " %6s %6s %6s %7s %7s %5s", "other", "ours", "share", "machine", "others", "load"));
    System.out.println(head);
    byPath.forEach(
        (path, runs) -> {
          for (int i = 0; i < runs.size(); i++) {
            System.out.println(row(shortPath(path) + " #" + (i + 1), runs.get(i)));
          }
        });
    System.out.println();
    System.out.println(
        "busiest threads (CPU s) of the worker and the broker, last run of each path:");
    byPath.forEach(
        (path, runs) -> {
          CpuMeter.Usage last = runs.get(runs.size() - 1);
          last.threads()
              .forEach(
                  (role, groups) ->
                      System.out.printf(
                          "  %-40s %-7s %s%n",
                          shortPath(path), role.split(" ")[0], top(groups, 7)));
        });
  }

  static String row(String label, CpuMeter.Usage u) {
    StringBuilder line = new StringBuilder(String.format("  %-40s %6.2f", label, u.wall()));
    double other = 0;
    for (Map.Entry<String, Double> p : u.processes().entrySet()) {
      if (!COLUMNS.containsKey(p.getKey())) {
        other += p.getValue();
      }
    }
    for (String role : COLUMNS.keySet()) {
      Double s = u.processes().get(role);
      line.append(s == null ? String.format(" %8s", "-") : String.format(" %8.2f", s));
    }
    double cores = u.machineCores() * u.wall();
    line.append(
        String.format(
            " %6.2f %6.2f %6.2f %6.2f %7.2f %7.2f %5.1f",
            other,
            u.ours(),
            jit(u),
            u.ours() / cores,
            u.machineBusy() / cores,
            Math.max(0, u.machineBusy() - u.ours()) / cores,
            u.load()));
    return line.toString();
  }

  /**
   * CPU seconds of the worker's and the broker's JIT compiler threads ({@code C1/C2
   * CompilerThread}).
   */
  static double jit(CpuMeter.Usage u) {
    return u.threads().values().stream()
        .flatMap(g -> g.entrySet().stream())
        .filter(e -> e.getKey().contains("CompilerThre"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** The {@code n} busiest thread groups, as {@code name seconds}. */
  static String top(Map<String, Double> groups, int n) {
    return groups.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(n)
        .map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String shortPath(String path) {
    return path.replace("connector -> Kafka, ", "")
        .replace("record.format=arrow (ByteArrayConverter)", "arrow")
        .replace("connector -> PostgreSQL", "-> PG")
        .replace("PostgreSQL", "PG");
  }
}
