package io.cqconnect.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wall-clock view of one measured run: when each step happened, in seconds from the run's start
 * (the config PUT, or the plugin launch for the bare decode). Steps come from the benchmark's own
 * clock and from the worker log's timestamps (log4j's {@code [%d]}, milliseconds, the same machine
 * clock); only the first occurrence of a step counts.
 */
final class Timeline {

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

  private final long startMillis;
  private final Map<String, Long> steps = new LinkedHashMap<>();

  Timeline() {
    this.startMillis = System.currentTimeMillis();
  }

  /** Marks {@code step} now (the first time only). */
  void mark(String step) {
    at(step, System.currentTimeMillis());
  }

  /** Marks {@code step} at {@code epochMillis} (the first time only). */
  void at(String step, long epochMillis) {
    steps.putIfAbsent(step, epochMillis);
  }

  /** Seconds from the start to each step, in the order they happened. */
  Map<String, Double> seconds() {
    Map<String, Double> out = new LinkedHashMap<>();
    steps.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> out.put(e.getKey(), (e.getValue() - startMillis) / 1e3));
    return out;
  }

  /**
   * Marks, from the worker log's lines since this run started, the first line containing each
   * {@code text} as step {@code name} ({@code steps}: name to text, in the order to look for them;
   * a step is looked for only in lines after the one of the step before it).
   */
  void fromLog(Path log, Map<String, String> steps) throws IOException {
    List<String> lines = Files.readAllLines(log);
    int from = 0;
    for (Map.Entry<String, String> step : steps.entrySet()) {
      for (int i = from; i < lines.size(); i++) {
        String line = lines.get(i);
        if (!line.contains(step.getValue())) {
          continue;
        }
        long when = logMillis(line);
        if (when >= startMillis) {
          at(step.getKey(), when);
          from = i;
          break;
        }
      }
    }
  }

  /**
   * Marks as {@code name} the last line containing {@code text} between this run's start and the
   * first line containing {@code before} (e.g. the task's plugin launch: the last "is ready" before
   * its sync started).
   */
  void lastFromLogBefore(Path log, String name, String text, String before) throws IOException {
    Long found = null;
    for (String line : Files.readAllLines(log)) {
      long when = logMillis(line);
      if (when < startMillis) {
        continue;
      }
      if (line.contains(before)) {
        break;
      }
      if (line.contains(text)) {
        found = when;
      }
    }
    if (found != null) {
      at(name, found);
    }
  }

  /** The time of a log line {@code [yyyy-MM-dd HH:mm:ss,SSS] ...}, or -1 if it has none. */
  private static long logMillis(String line) {
    if (line.length() < 25 || line.charAt(0) != '[' || line.charAt(24) != ']') {
      return -1;
    }
    try {
      return LocalDateTime.parse(line.substring(1, 24), LOG_TIME)
          .atZone(ZoneId.systemDefault())
          .toInstant()
          .toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
