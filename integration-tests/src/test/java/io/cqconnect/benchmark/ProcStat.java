package io.cqconnect.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linux's CPU accounting as {@code /proc} shows it (proc(5)): a process's or thread's {@code stat}
 * line (user + system ticks of its own, and of its waited-for children) and the machine's {@code
 * /proc/stat} busy ticks; ticks are {@code getconf CLK_TCK} per second.
 */
final class ProcStat {

  /** One {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat} line. */
  record Line(long pid, String comm, long ppid, long ticks, long childTicks) {}

  /** The machine's {@code cpu} line of {@code /proc/stat}: busy and all ticks over every core. */
  record Machine(long busy, long total) {}

  /** Ticks per second of the times in {@code /proc} ({@code getconf CLK_TCK}). */
  static final long CLOCK_TICKS = clockTicks();

  private ProcStat() {}

  /**
   * Parses a stat line. The command name sits in parentheses and may itself hold spaces and
   * parentheses, so fields are counted from the last {@code ')'}: state, ppid, ... utime (14th
   * field), stime (15th), cutime (16th), cstime (17th).
   */
  static Line parse(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc stat line: " + stat);
    }
    String[] f = stat.substring(close + 2).trim().split(" ");
    if (f.length < 15) {
      throw new IllegalArgumentException("too few fields in /proc stat line: " + stat);
    }
    return new Line(
        Long.parseLong(stat.substring(0, open).trim()),
        stat.substring(open + 1, close),
        Long.parseLong(f[1]),
        Long.parseLong(f[11]) + Long.parseLong(f[12]),
        Long.parseLong(f[13]) + Long.parseLong(f[14]));
  }

  /**
   * Parses the first line of {@code /proc/stat} ({@code cpu user nice system idle iowait irq
   * softirq steal ...}): busy is everything but idle and iowait.
   */
  static Machine parseMachine(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    if (!f[0].equals("cpu") || f.length < 6) {
      throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
    }
    long total = 0;
    // Fields 9 and 10 (guest, guest_nice) are already counted in user and nice.
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      total += Long.parseLong(f[i]);
    }
    return new Machine(total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total);
  }

  /**
   * A thread's name with its numbers folded ({@code GC Thread#1} and {@code GC Thread#0} are both
   * {@code GC Thread#N}), so a pool's threads add up in one group.
   */
  static String threadGroup(String comm) {
    return comm.replaceAll("\\d+", "N");
  }

  /** {@code /proc/PID/stat}, or null if the process is gone. */
  static Line process(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** The stat lines of every live thread of {@code pid} (empty if the process is gone). */
  static List<Line> threads(long pid) {
    List<Line> lines = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        Line l = read(t.resolve("stat"));
        if (l != null) {
          lines.add(l);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return lines;
  }

  /** The machine's busy and total ticks now. */
  static Machine machine() {
    try {
      return parseMachine(Files.readAllLines(Path.of("/proc/stat")).get(0));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat", e);
    }
  }

  static double seconds(long ticks) {
    return (double) ticks / CLOCK_TICKS;
  }

  private static Line read(Path stat) {
    try {
      return parse(Files.readString(stat, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return null; // exited between listing and reading
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to Linux's usual value
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
