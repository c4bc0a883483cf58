package io.cqconnect.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processes this test JVM started (plugins, CLI runs, state servers, worker JVMs), so that a
 * shared Connect cluster can wait until a test's plugins have exited before the next test starts.
 */
final class ChildProcesses {

  /** How long deleted connectors get to stop their plugins (their stop grace is at most 5 s). */
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  private ChildProcesses() {}

  /** The ids of the live child processes of this JVM. */
  static Set<Long> pids() {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /** Waits until every live child process except {@code kept} has exited. */
  static void awaitExitOfAllBut(Set<Long> kept) {
    long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
    List<ProcessHandle> left = others(kept);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      try {
        left.get(0).onExit().get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // poll again: another process may have exited meanwhile
      } catch (Exception e) {
        throw new AssertionError("interrupted while waiting for child processes to exit", e);
      }
      left = others(kept);
    }
    if (!left.isEmpty()) {
      throw new AssertionError(
          "Processes the test started were still running "
              + EXIT_TIMEOUT.toSeconds()
              + " s after its connectors were deleted: "
              + left.stream()
                  .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                  .collect(Collectors.joining("; "))
              + ". Stop them in the test (or its @AfterEach) so the next test on the shared"
              + " cluster does not see them.");
    }
  }

  private static List<ProcessHandle> others(Set<Long> kept) {
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(p -> !kept.contains(p.pid()))
        .toList();
  }
}
