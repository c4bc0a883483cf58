package io.cqconnect.plugin;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Waits until a plugin answers discovery {@code GetVersions}, with backoff from 10 ms doubling to
 * 100 ms, until a timeout passes or the launched process exits. A plugin is typically ready 0.1 to
 * 0.4 s after its launch; a failed probe of a local socket costs well under a millisecond, so the
 * short backoff finds it ready within 100 ms (with 50 ms doubling to 1 s it could lose up to 400 ms
 * there, on every validate and every task start).
 */
final class Readiness {

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
  private static final Duration MAX_BACKOFF = Duration.ofMillis(100);

  /** Bounds one attempt, so a server that accepts but never answers is retried, not waited on. */
  private static final Duration MAX_ATTEMPT = Duration.ofSeconds(5);

  private Readiness() {}

  /**
   * Returns the plugin's protocol versions as soon as it answers.
   *
   * @param process the launched process to watch, or null for a dialled plugin
   * @throws ConnectException naming the target, the process state, the last error and output
   */
  static List<Integer> await(
      ManagedChannel channel, PluginClient probe, Duration timeout, PluginProcess process) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long backoff = FIRST_BACKOFF.toNanos();
    RuntimeException lastError = null;
    int attempts = 0;
    try {
      while (true) {
        if (process != null && !process.isAlive()) {
          // Let the output readers catch up so the last lines explain the exit.
          process.awaitOutputDrained(Duration.ofSeconds(1));
          throw notReady(probe, process, "the process exited before answering", lastError);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw notReady(probe, process, "no answer to GetVersions within " + timeout, lastError);
        }
        // Without this the channel would wait out its own reconnect backoff (1 s, growing).
        channel.resetConnectBackoff();
        attempts++;
        try {
          return probe.getVersions(Duration.ofNanos(Math.min(left, MAX_ATTEMPT.toNanos())));
        } catch (RuntimeException e) {
          Status status = GrpcErrors.statusOf(e);
          if (status == null
              || (status.getCode() != Status.Code.UNAVAILABLE
                  && status.getCode() != Status.Code.DEADLINE_EXCEEDED)) {
            throw e;
          }
          lastError = e;
        }
        long sleep = Math.min(backoff, Math.max(0, deadline - System.nanoTime()));
        if (process != null) {
          process.waitForExit(Duration.ofNanos(sleep));
        } else {
          Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF.toNanos());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException(
          "Interrupted while waiting for plugin " + probe.plugin() + " to become ready", e);
    } finally {
      if (attempts > 1) {
        org.slf4j.LoggerFactory.getLogger(Readiness.class)
            .debug(
                "plugin {}: {} GetVersions attempts in {} ms",
                probe.plugin(),
                attempts,
                (System.nanoTime() - start) / 1_000_000);
      }
    }
  }

  private static ConnectException notReady(
      PluginClient probe, PluginProcess process, String reason, RuntimeException lastError) {
    StringBuilder sb = new StringBuilder("Plugin ");
    if (process != null) {
      sb.append(process.describe());
    } else {
      sb.append("at ").append(probe.plugin());
    }
    sb.append(" did not become ready: ").append(reason);
    if (lastError != null) {
      sb.append("; last error: ").append(lastError.getMessage());
    }
    if (process != null) {
      sb.append("; last output:\n  ").append(process.logTail(20));
    } else {
      sb.append("; check that the plugin server is running and listening at that address");
    }
    return new ConnectException(sb.toString(), lastError);
  }
}
