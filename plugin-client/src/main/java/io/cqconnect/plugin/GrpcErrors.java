package io.cqconnect.plugin;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * The one place that turns gRPC failures of plugin calls into Kafka Connect exceptions.
 *
 * <p>Transient transport conditions ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code
 * ABORTED}, {@code RESOURCE_EXHAUSTED}) become {@link RetriableException}; everything else (bad
 * arguments or spec, failed preconditions, auth, unimplemented, plugin-internal errors) becomes a
 * plain {@link ConnectException}. One exception to the first rule: a {@code RESOURCE_EXHAUSTED}
 * caused by a message larger than the configured gRPC limit is not retriable, because the same
 * message would be rejected again; its error says which limit to raise.
 *
 * <p>For callers that restart a plugin on failure, {@link #isPermanent(Throwable)} names the
 * failures a restart cannot fix in any call (a refused request or spec, refused credentials, an
 * unimplemented call, an over-size message); plugin-internal errors and crashes are not among them,
 * since a restarted plugin often gets past them.
 */
public final class GrpcErrors {

  /** Matches the wording grpc-java and grpc-go use when a message is over the size limit. */
  private static final Pattern MESSAGE_TOO_LARGE =
      Pattern.compile(
          "(exceeds maximum size|larger than max|message too large|exceeds the maximum)",
          Pattern.CASE_INSENSITIVE);

  private GrpcErrors() {}

  /**
   * Maps a failed call to a Connect exception.
   *
   * @param e the gRPC failure
   * @param what the operation and the plugin, for example {@code "Init of plugin 'test'"}
   */
  public static RuntimeException toConnect(StatusRuntimeException e, String what) {
    return fromStatus(e.getStatus(), what, e);
  }

  /**
   * Maps any failure of a plugin call to a Connect exception: gRPC statuses by their code, Connect
   * exceptions unchanged, anything else as a {@link ConnectException}.
   *
   * @param t the failure
   * @param operation the RPC or step, for example {@code "Sync"}
   * @param plugin how the plugin is known, for example {@code "cq-source-test (127.0.0.1:4000)"}
   */
  public static RuntimeException toConnect(Throwable t, String operation, String plugin) {
    return toConnect(t, operation, plugin, null);
  }

  /**
   * Like {@link #toConnect(Throwable, String, String)}, appending {@code detail} (for example the
   * plugin's exit code and last log lines) to the message when it is not empty.
   */
  public static RuntimeException toConnect(
      Throwable t, String operation, String plugin, String detail) {
    String what = operation + " on plugin " + plugin;
    RuntimeException mapped;
    if (t instanceof StatusRuntimeException sre) {
      mapped = fromStatus(sre.getStatus(), what, t);
    } else if (t instanceof StatusException se) {
      mapped = fromStatus(se.getStatus(), what, t);
    } else if (t instanceof ConnectException ce) {
      return ce;
    } else {
      mapped = new ConnectException(what + " failed: " + t, t);
    }
    if (detail == null || detail.isBlank()) {
      return mapped;
    }
    String message = mapped.getMessage() + "; " + detail;
    return mapped instanceof RetriableException
        ? new RetriableException(message, t)
        : new ConnectException(message, t);
  }

  /** True for the status codes that are worth retrying after a backoff. */
  public static boolean isRetriable(Status.Code code) {
    switch (code) {
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
      case RESOURCE_EXHAUSTED:
      case ABORTED:
        return true;
      default:
        return false;
    }
  }

  /**
   * True if the failure (or a cause of it) is a {@link RetriableException} or a gRPC status that is
   * retriable by {@link #isRetriable(Status.Code)}, and not a message-size violation.
   */
  public static boolean isRetriable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RetriableException) {
        return true;
      }
      Status status = statusOf(c);
      if (status != null) {
        return isRetriable(status.getCode()) && !isMessageTooLarge(status);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /**
   * True if restarting the plugin and repeating the call cannot help, whatever the call: the
   * failure carries {@code INVALID_ARGUMENT}, {@code UNAUTHENTICATED}, {@code PERMISSION_DENIED},
   * {@code UNIMPLEMENTED} or an over-size {@code RESOURCE_EXHAUSTED}. A failure without a gRPC
   * status (a plugin process that would not start or crashed) is never permanent.
   */
  public static boolean isPermanent(Throwable t) {
    Status status = statusOf(t);
    if (status == null) {
      return false;
    }
    return switch (status.getCode()) {
      case INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, UNIMPLEMENTED -> true;
      case RESOURCE_EXHAUSTED -> isMessageTooLarge(status);
      default -> false;
    };
  }

  /** The gRPC status carried by the failure or one of its causes, or null if there is none. */
  public static Status statusOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException sre) {
        return sre.getStatus();
      }
      if (c instanceof StatusException se) {
        return se.getStatus();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static RuntimeException fromStatus(Status status, String what, Throwable original) {
    Status.Code code = status.getCode();
    String description = PluginText.forError(status.getDescription());
    Throwable cause = withSafeDescription(status, description, original);
    String message = what + " failed: " + code + (description.isEmpty() ? "" : ": " + description);
    if (code == Status.Code.RESOURCE_EXHAUSTED && isMessageTooLarge(status)) {
      return new ConnectException(
          message
              + " (a gRPC message is larger than the configured limit; raise"
              + " grpc.max.message.bytes, default 200 MiB, on the connector)",
          cause);
    }
    if (code == Status.Code.INVALID_ARGUMENT) {
      return new ConnectException(
          message + " (the plugin rejected the request or its spec; check plugin.spec)", cause);
    }
    if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
      return new ConnectException(
          message
              + " (the plugin's credentials were refused; check them in plugin.spec or the"
              + " plugin's environment)",
          cause);
    }
    if (code == Status.Code.UNIMPLEMENTED) {
      return new ConnectException(
          message + " (the plugin does not implement this call; check the plugin version)", cause);
    }
    return isRetriable(code)
        ? new RetriableException(message, cause)
        : new ConnectException(message, cause);
  }

  /**
   * The gRPC failure as the task's cause, with the plugin's description escaped and capped: the
   * cause's message is printed in the task's stack trace (worker log, REST {@code /status}) too.
   */
  private static Throwable withSafeDescription(
      Status status, String description, Throwable original) {
    if (description.equals(status.getDescription() == null ? "" : status.getDescription())) {
      return original;
    }
    StatusRuntimeException safe = status.withDescription(description).asRuntimeException();
    safe.setStackTrace(original.getStackTrace());
    return safe;
  }

  private static boolean isMessageTooLarge(Status status) {
    String d = status.getDescription();
    return status.getCode() == Status.Code.RESOURCE_EXHAUSTED
        && d != null
        && MESSAGE_TOO_LARGE.matcher(d.toLowerCase(Locale.ROOT)).find();
  }
}
