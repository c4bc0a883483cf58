package io.cqconnect.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a worker's CPU went in a JFR recording: execution samples by thread, by top frame (self
 * time), by the first frame of a known component on the stack (inclusive time) and by the innermost
 * cq-connect method (what our code spends, itself or in what it calls). Run: {@code bin/benchmark
 * jfr FILE}.
 */
public final class JfrHotspots {

  /**
   * Components by class-name prefix; a sample counts for every component with a frame anywhere on
   * its stack (inclusive time, so the shares overlap).
   */
  private static final List<String[]> COMPONENTS =
      List.of(
          new String[] {"org.apache.kafka.connect.json.JsonConverter", "JsonConverter (any)"},
          new String[] {"com.fasterxml.jackson.", "Jackson"},
          new String[] {"org.apache.kafka.clients.producer.KafkaProducer", "KafkaProducer.send"},
          new String[] {
            "org.apache.kafka.clients.producer.internals.Sender", "producer I/O thread"
          },
          new String[] {"io.cqconnect.", "cq-connect (any)"},
          new String[] {"io.cqconnect.arrow.", "cq-connect Arrow -> Connect"},
          new String[] {"org.apache.arrow.", "Arrow"},
          new String[] {"io.grpc.", "gRPC"},
          new String[] {"org.apache.kafka.connect.runtime.", "Connect runtime"});

  private JfrHotspots() {}

  public static void main(String[] args) throws IOException {
    print(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 15);
  }

  static void print(Path file, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> components = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    int total = 0;
    Path window = window(file);
    Instant from = Instant.MIN;
    Instant to = Instant.MAX;
    if (Files.exists(window)) {
      String[] w = Files.readString(window).trim().split(" ");
      from = Instant.parse(w[0]);
      to = Instant.parse(w[1]);
    }
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")
          || e.getStartTime().isBefore(from)
          || e.getStartTime().isAfter(to)) {
        continue;
      }
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      total++;
      threads.merge(e.getThread("sampledThread").getJavaName(), 1, Integer::sum);
      self.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
      for (String c : components(stack)) {
        components.merge(c, 1, Integer::sum);
      }
      String own = innermostOwn(stack);
      if (own != null) {
        ours.merge(own, 1, Integer::sum);
      }
    }
    System.out.printf("%s: %d execution samples%n", file, total);
    show("by thread", threads, total, top);
    show("by component (inclusive: on the stack anywhere)", components, total, top);
    show("by top frame (self)", self, total, top);
    show(
        "by cq-connect method (innermost io.cqconnect frame: itself and what it calls)",
        ours,
        total,
        top);
  }

  /**
   * The file beside a recording with the run's window ({@code begin end}, ISO instants): a dump of
   * a longer recording holds whole chunks, so samples outside the window are skipped.
   */
  static Path window(Path recording) {
    return recording.resolveSibling(recording.getFileName() + ".window");
  }

  /** The cq-connect method closest to the top of the stack, or null when none is on it. */
  private static String innermostOwn(RecordedStackTrace stack) {
    for (RecordedFrame f : stack.getFrames()) {
      if (f.getMethod().getType().getName().startsWith("io.cqconnect.")) {
        return name(f);
      }
    }
    return null;
  }

  private static java.util.Set<String> components(RecordedStackTrace stack) {
    java.util.Set<String> found = new java.util.HashSet<>();
    for (RecordedFrame f : stack.getFrames()) {
      String type = f.getMethod().getType().getName();
      for (String[] c : COMPONENTS) {
        if (type.startsWith(c[0])) {
          found.add(c[1]);
        }
      }
    }
    return found;
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void show(String title, Map<String, Integer> counts, int total, int top) {
    System.out.println("  " + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    "    %5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }
}
