package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.distribution.testing.LocalKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/quickstart} as a user would (with {@code --skip-build}: {@code mvn verify} has
 * just built everything) and reads its output: the second sync must bring only new rows, the cursor
 * must advance, and everything must stop on Ctrl-C.
 */
class QuickstartIT {

  /**
   * A prefix that starts the script with SIGINT at its default, as in a terminal. Maven run as a
   * background job of a non-interactive shell (nohup, {@code &} in a script) ignores SIGINT, every
   * child inherits that, and a shell cannot trap a signal ignored on entry: the Ctrl-C below would
   * not reach the script's trap. GNU env (coreutils 8.31+) can reset it; elsewhere nothing.
   */
  private static final List<String> DEFAULT_SIGINT = defaultSigint();

  @TempDir Path work;

  /** A quickstart run on free ports, its output collected line by line. */
  private static final class Run {
    final Process process;
    final List<String> lines = new ArrayList<>();
    final int kafkaPort;
    final int restPort;
    final int jmxPort;
    final CompletableFuture<Void> drained;

    Run(Path workDir, String... extra) throws IOException {
      kafkaPort = pairOfFreePorts();
      restPort = LocalKafka.freePort();
      jmxPort = LocalKafka.freePort();
      List<String> cmd = new ArrayList<>(DEFAULT_SIGINT);
      cmd.addAll(
          List.of(
              LocalKafka.repoDir().resolve("bin/quickstart").toString(),
              "--skip-build",
              "--work-dir",
              workDir.toString(),
              "--kafka-port",
              Integer.toString(kafkaPort),
              "--rest-port",
              Integer.toString(restPort),
              "--jmx-port",
              Integer.toString(jmxPort),
              "--sync-interval-ms",
              "2000"));
      cmd.addAll(List.of(extra));
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      drained =
          CompletableFuture.runAsync(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                      lines.add(l);
                    }
                  }
                } catch (IOException e) {
                  // The process is gone.
                }
              });
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    int awaitExit(Duration timeout) throws Exception {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("quickstart still running after " + timeout + ":\n" + output());
      }
      drained.get(10, TimeUnit.SECONDS);
      return process.exitValue();
    }

    void awaitOutput(String what, Predicate<String> shown, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (shown.test(output())) {
          return;
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(200);
      }
      throw new AssertionError("no " + what + " in the output:\n" + output());
    }

    void assertStopped() {
      for (int port : List.of(kafkaPort, kafkaPort + 1, restPort, jmxPort)) {
        assertThat(listening(port))
            .as("something still listens on " + port + ":\n" + output())
            .isFalse();
      }
    }
  }

  /**
   * One run shows both syncs and then takes Ctrl-C; {@code --exit-after-syncs}, which ends a run by
   * itself, is not run: one run cannot end both ways, and both endings go through the same {@code
   * cleanup} of the script (the trap on EXIT, or on INT with status 130).
   */
  @Test
  void shouldFetchOnlyNewRowsInTheSecondSyncAndStopEverythingWhenInterruptedLikeCtrlC()
      throws Exception {
    Run run = new Run(work.resolve("qs"));
    // The "now:" lines follow the report of the latest sync: wait for them after sync 2's.
    run.awaitOutput(
        "the report of sync 2 and where its cursor is kept now",
        out -> {
          int sync2 = out.indexOf("\n[quickstart] sync 2:");
          return sync2 >= 0 && out.indexOf("\n  now: JMX ", sync2) >= 0;
        },
        Duration.ofMinutes(5));
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int exit = run.awaitExit(Duration.ofMinutes(2));
    String out = run.output();
    assertThat(exit).as(out).isEqualTo(130);
    assertThat(out)
        .contains("[quickstart] Connect REST API   http://127.0.0.1:" + run.restPort)
        .contains("[quickstart] JMX                127.0.0.1:" + run.jmxPort)
        .contains(
            "[quickstart] sync 1: demo.demo_events +50 rows, ids 1..50 (new: 50, already seen: 0);"
                + " demo.demo_users +5 rows (full refresh)")
        .contains(
            "[quickstart] sync 2: demo.demo_events +50 rows, ids 51..100 (new: 50, already seen: 0);"
                + " demo.demo_users +5 rows (full refresh)")
        .contains("  cursor demo_events = 2026-01-01T00:00:50Z (version 5)")
        .contains("  cursor demo_events = 2026-01-01T00:01:40Z (version 10)")
        .contains("[quickstart] stopping the Connect worker and Kafka");
    // As of the report of sync 2 (or of a later one), the offsets and the SQLite state table hold
    // that cursor or a later one.
    assertThat(
            version(
                out,
                "now: connector offsets \\(GET /connectors/cq-demo/offsets\\): demo_events = \\S+ \\(version (\\d+)\\)"))
        .isGreaterThanOrEqualTo(10);
    assertThat(
            version(
                out,
                "now: state table cq_state_demo \\(jdbc:sqlite:\\S+\\): demo_events = \\S+ \\(version (\\d+)\\)"))
        .isGreaterThanOrEqualTo(10);
    assertThat(version(out, "now: JMX 127\\.0\\.0\\.1:\\d+: syncs-completed-total=(\\d+),"))
        .isGreaterThanOrEqualTo(2);
    run.assertStopped();
  }

  private static List<String> defaultSigint() {
    List<String> env = List.of("env", "--default-signal=INT");
    try {
      List<String> probe = new ArrayList<>(env);
      probe.add("true");
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? env : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** The last match's group 1 of {@code regex} in the output. */
  private static long version(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    long last = -1;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    assertThat(last).as("a line matching " + regex + " in:\n" + out).isNotNegative();
    return last;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A free port p whose p+1 is free too (Kafka's broker and controller listeners). */
  private static int pairOfFreePorts() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p = LocalKafka.freePort();
      if (p < 65535 && !listening(p + 1)) {
        try (java.net.ServerSocket s =
            new java.net.ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
          return p;
        } catch (IOException busy) {
          // try another
        }
      }
    }
    throw new IOException("no two consecutive free ports found");
  }
}
