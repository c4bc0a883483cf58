package io.cqconnect.it;

import io.cqconnect.plugin.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Failure injection and probes for the incremental tests: SIGKILL of plugin processes started by
 * this JVM (or by a worker process) and connector configs over the incremental fixture plugin tuned
 * so that syncs are slow enough to be interrupted.
 */
final class IncrementalFaults {

  static final String PLUGIN = Fixtures.SOURCE_INCREMENTAL;

  /** Seed of the random failure moments: a failing run can be repeated. */
  static final long SEED = 20261125L;

  private IncrementalFaults() {}

  /**
   * A connector over the incremental plugin that syncs every {@code intervalMs} and restarts a dead
   * plugin fast.
   */
  static Map<String, String> source(String name, String spec, long intervalMs) {
    Map<String, String> props = new HashMap<>(IncrementalResumeIT.incrementalSource(name, spec));
    props.put("sync.interval.ms", Long.toString(intervalMs));
    props.put("plugin.restart.backoff.initial.ms", "100");
    props.put("plugin.restart.backoff.max.ms", "500");
    props.put("plugin.restart.max.attempts", "50");
    props.put("plugin.stop.grace.ms", "1000");
    return props;
  }

  /** Live descendant processes of {@code root} running the incremental plugin binary. */
  static List<ProcessHandle> plugins(ProcessHandle root) {
    return root.descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + PLUGIN)).orElse(false))
        .collect(Collectors.toList());
  }

  /** SIGKILLs every incremental plugin process under {@code root}; returns how many it killed. */
  static int killPlugins(ProcessHandle root) {
    List<ProcessHandle> victims = plugins(root);
    victims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : victims) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("plugin process " + p.pid() + " did not die after SIGKILL", e);
      }
    }
    return victims.size();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * One injected failure: when (ms after rows started to flow), the cursor Connect had committed
   * just before, and the topic's end offset at that moment.
   */
  record Cycle(int number, String kind, long delayMs, long committedBefore, long offsetAtFailure) {
    @Override
    public String toString() {
      return String.format(
          "cycle %d: %s %d ms after rows began to flow; committed cursor before %d, topic end offset %d: ",
          number, kind, delayMs, committedBefore, offsetAtFailure);
    }
  }

  /** Prints each failure cycle with what the topic shows after it, and the history. */
  static void report(
      String what,
      List<IncrementalFaults.Cycle> cycles,
      List<IncrementalTopics.Row> rows,
      IncrementalTopics.History history) {
    StringBuilder out =
        new StringBuilder("[incremental failures] ")
            .append(what)
            .append(": ")
            .append(cycles.size())
            .append(" failure cycles\n");
    for (IncrementalFaults.Cycle c : cycles) {
      out.append("  ")
          .append(c)
          .append(IncrementalTopics.outcome(rows, c.offsetAtFailure()))
          .append('\n');
    }
    out.append("  ").append(history);
    System.out.println(out);
  }

  /**
   * Reads {@code topic} (rows of the plugin's table {@code incr_events_0}) after the failure {@code
   * cycles}: asserts the resume contract (every id, duplicates only from interrupted syncs, ties
   * {@code tieWidth} wide), prints the cycles, and asserts no failure fetched again below the
   * cursor committed before it. Returns the history for the caller's own assertions.
   */
  static IncrementalTopics.History assertNoGapAfter(
      ConnectHarness harness, String topic, int tieWidth, String what, List<Cycle> cycles) {
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    IncrementalTopics.History history =
        IncrementalTopics.assertResumeContract("incr_events_0", rows, tieWidth);
    report(what, cycles, rows, history);
    for (Cycle c : cycles) {
      IncrementalTopics.assertNothingRefetchedBelow(
          "incr_events_0", rows, c.offsetAtFailure(), c.committedBefore());
    }
    return history;
  }
}
