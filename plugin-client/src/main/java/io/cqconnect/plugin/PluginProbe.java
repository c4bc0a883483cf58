package io.cqconnect.plugin;

import io.cqconnect.plugin.proto.v3.TestConnection;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Validate-time checks that need the plugin itself: it starts (or answers at its address) and its
 * {@code TestConnection} accepts the spec. Each problem says which of the two failed, so the caller
 * can attach it to the key that caused it.
 */
public final class PluginProbe {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  /** What a probe problem is about. */
  public enum Subject {
    /** The binary did not start or the address did not answer. */
    REACH,
    /** The plugin rejected the spec, or testing it failed. */
    SPEC
  }

  /** One thing the probe found wrong. */
  public record Problem(Subject subject, String message) {}

  private PluginProbe() {}

  /** Starts or dials the plugin with deadlines of at most 15 s and tests its spec. */
  public static Optional<Problem> check(PluginSettings settings) {
    Duration timeout =
        settings.startTimeout().compareTo(PROBE_TIMEOUT) < 0
            ? settings.startTimeout()
            : PROBE_TIMEOUT;
    PluginConnection plugin;
    try {
      plugin = PluginConnections.connect(settings.withTimeouts(timeout, timeout), "validate");
    } catch (RuntimeException e) {
      return Optional.of(new Problem(Subject.REACH, "cannot reach the plugin: " + e.getMessage()));
    }
    try (plugin) {
      TestConnection.Response answer =
          plugin.client().testConnection(settings.spec().getBytes(StandardCharsets.UTF_8));
      if (!answer.getSuccess()) {
        return Optional.of(
            new Problem(
                Subject.SPEC,
                "the plugin rejects this spec ("
                    + answer.getFailureCode()
                    + "): "
                    + answer.getFailureDescription()));
      }
    } catch (RuntimeException e) {
      Status status = GrpcErrors.statusOf(e);
      if (status == null || status.getCode() != Status.Code.UNIMPLEMENTED) {
        return Optional.of(new Problem(Subject.SPEC, "testing the spec failed: " + e.getMessage()));
      }
    }
    return Optional.empty();
  }
}
