package io.cqconnect.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU each process of a measured run used: the benchmark JVM and every process under it (the
 * broker, the worker and the plugins it launched, the CLI and its plugins), from {@code
 * /proc/PID/stat} at the run's start and at its timed end, with the worker's and the broker's
 * threads by name and the whole machine's busy time (so other load on the machine shows).
 *
 * <p>A process that started during the run counts in full; one that exited during it is not seen
 * itself but lands, whole, in the waited-for children of its parent ({@code cutime + cstime}): the
 * CLI and its plugins in the benchmark JVM's, the connector's validate plugin in the worker's.
 */
final class CpuMeter {

  static final String BENCHMARK = "benchmark JVM";
  static final String WORKER = "worker JVM";
  static final String BROKER = "broker JVM";
  static final String EXITED = " (exited children)";

  /** A run's CPU: seconds per process role and per thread group of the JVMs, over its wall time. */
  record Usage(
      double wall,
      Map<String, Double> processes,
      Map<String, Map<String, Double>> threads,
      double machineBusy,
      double machineCores,
      double load) {

    /** CPU seconds of every process of this benchmark. */
    double ours() {
      return processes.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private record Proc(String role, ProcStat.Line stat) {}

  private record Snapshot(
      long nanos,
      Map<Long, Proc> processes,
      Map<String, Map<Long, ProcStat.Line>> threads,
      ProcStat.Machine machine) {}

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private final long workerPid;
  private final Snapshot start;

  private CpuMeter(long workerPid) {
    this.workerPid = workerPid;
    this.start = snapshot();
  }

  /** Starts metering now; {@code workerPid} is the Connect worker's (0 if there is none). */
  static CpuMeter start(long workerPid) {
    return new CpuMeter(workerPid);
  }

  /** The CPU used from the start until now. */
  Usage stop() {
    Snapshot end = snapshot();
    Map<String, Double> processes = new LinkedHashMap<>();
    for (Map.Entry<Long, Proc> e : end.processes().entrySet()) {
      Proc now = e.getValue();
      Proc before = start.processes().get(e.getKey());
      long own = now.stat().ticks() - (before == null ? 0 : before.stat().ticks());
      processes.merge(now.role(), ProcStat.seconds(own), Double::sum);
      if (before != null && now.stat().childTicks() > before.stat().childTicks()) {
        long reaped = now.stat().childTicks() - before.stat().childTicks();
        processes.merge(now.role() + EXITED, ProcStat.seconds(reaped), Double::sum);
      }
    }
    Map<String, Map<String, Double>> threads = new LinkedHashMap<>();
    end.threads()
        .forEach(
            (role, lines) -> {
              Map<Long, ProcStat.Line> before = start.threads().getOrDefault(role, Map.of());
              Map<String, Double> groups = new TreeMap<>();
              lines.forEach(
                  (tid, l) -> {
                    ProcStat.Line b = before.get(tid);
                    long t = l.ticks() - (b == null ? 0 : b.ticks());
                    if (t > 0) {
                      groups.merge(
                          ProcStat.threadGroup(l.comm()), ProcStat.seconds(t), Double::sum);
                    }
                  });
              threads.put(role, groups);
            });
    long busy = end.machine().busy() - start.machine().busy();
    long total = end.machine().total() - start.machine().total();
    return new Usage(
        (end.nanos() - start.nanos()) / 1e9,
        processes,
        threads,
        ProcStat.seconds(busy),
        total == 0
            ? CORES
            : (double) total / (end.nanos() - start.nanos()) * 1e9 / ProcStat.CLOCK_TICKS,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Whose process {@code argv} is (the names the CPU table shows); an exiting process (a zombie)
   * has an empty command line, so its {@code comm} from the stat line names it then.
   */
  static String role(long pid, long self, long worker, List<String> argv, String comm) {
    if (pid == self) {
      return BENCHMARK;
    }
    if (pid == worker) {
      return WORKER;
    }
    if (argv.contains("kafka.Kafka")) {
      return BROKER;
    }
    String exe =
        argv.isEmpty() || argv.get(0).isEmpty()
            ? comm
            : Path.of(argv.get(0)).getFileName().toString();
    if (exe.equals("cloudquery")) {
      return "CLI";
    }
    if (exe.equals("java")) {
      return "other JVM";
    }
    return exe.startsWith("cq-") ? "plugin " + exe : exe;
  }

  private Snapshot snapshot() {
    long self = ProcessHandle.current().pid();
    Map<Long, Proc> processes = new HashMap<>();
    Map<String, Map<Long, ProcStat.Line>> threads = new LinkedHashMap<>();
    ProcStat.Machine machine = ProcStat.machine();
    long nanos = System.nanoTime();
    List<Long> pids =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(self),
                ProcessHandle.current().descendants().map(ProcessHandle::pid))
            .toList();
    for (long pid : pids) {
      ProcStat.Line stat = ProcStat.process(pid);
      if (stat == null) {
        continue;
      }
      String role = role(pid, self, workerPid, argv(pid), stat.comm());
      processes.put(pid, new Proc(role, stat));
      if (role.equals(WORKER) || role.equals(BROKER)) {
        Map<Long, ProcStat.Line> byTid = new HashMap<>();
        ProcStat.threads(pid).forEach(l -> byTid.put(l.pid(), l));
        threads.put(role, byTid);
      }
    }
    return new Snapshot(nanos, processes, threads, machine);
  }

  private static List<String> argv(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }
}
