package io.cqconnect.source;

import io.cqconnect.plugin.GrpcErrors;
import io.grpc.Status;
import java.util.Objects;

/**
 * Decides which failed sync attempts a plugin restart cannot fix, remembering the previous
 * attempt's failed {@code Init} so that a restarted plugin refusing {@code Init} with the same
 * answer is not restarted again.
 *
 * <p>Refusals ({@link GrpcErrors#isPermanent}) are permanent in any call. Other non-retriable
 * {@code Init} failures ({@code INTERNAL}, {@code UNKNOWN}...) are ambiguous: the Go SDK reports a
 * spec it cannot parse as {@code INTERNAL}, but also a cloud API the plugin could not reach while
 * creating its client. So the first one is retried, and only the same code with the same
 * description on the very next attempt is permanent: a restart did not change the answer.
 */
final class PermanentFailures {

  private static final String REFUSED_AT_INIT =
      ". The plugin refused to start with this configuration, which a restart cannot change: fix"
          + " plugin.spec (or the credentials it names) and restart the task";
  private static final String REFUSED =
      ". Restarting the plugin cannot fix this, so it was not retried: fix the cause named above"
          + " and restart the task";
  private static final String REPEATED_INIT =
      ". The restarted plugin failed Init again with the same error, so it is not restarted again:"
          + " fix plugin.spec (or what the error names; if it names a service that was down,"
          + " restart the task once it is back)";

  /** The previous attempt's Init failure, or null if that attempt got past Init or succeeded. */
  private Status lastInitFailure;

  /**
   * Records a failed attempt and says why a restart cannot fix it.
   *
   * @param failure the attempt's failure
   * @param atInit whether it happened while starting or initialising the plugin
   * @return what to append to the failure's message (why, and what to fix), or null when the plugin
   *     should be restarted
   */
  String check(Throwable failure, boolean atInit) {
    Status status = GrpcErrors.statusOf(failure);
    Status previous = lastInitFailure;
    lastInitFailure = atInit && status != null && !GrpcErrors.isRetriable(failure) ? status : null;
    if (GrpcErrors.isPermanent(failure)) {
      return atInit ? REFUSED_AT_INIT : REFUSED;
    }
    if (lastInitFailure != null && previous != null && sameAnswer(previous, lastInitFailure)) {
      return REPEATED_INIT;
    }
    return null;
  }

  /** Forgets the last Init failure: an attempt succeeded. */
  void reset() {
    lastInitFailure = null;
  }

  private static boolean sameAnswer(Status a, Status b) {
    return a.getCode() == b.getCode() && Objects.equals(a.getDescription(), b.getDescription());
  }
}
