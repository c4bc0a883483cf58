package io.cqconnect.state;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Turns failures inside the state backend into gRPC statuses with a clear description, so a plugin
 * never sees a bare {@code UNKNOWN}.
 */
final class StateStatus {

  private StateStatus() {}

  /** The status for a failure while doing {@code what} (for example "Write insert into 'x'"). */
  static StatusRuntimeException of(Throwable t, String what) {
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    Status status;
    if (t instanceof IllegalArgumentException) { // ArrowFormatException included
      status = Status.INVALID_ARGUMENT;
    } else if (t instanceof StateStoreException sse) {
      status = sse.isTransient() ? Status.UNAVAILABLE : Status.INTERNAL;
    } else {
      status = Status.INTERNAL;
    }
    String detail = t.getMessage() == null ? t.toString() : t.getMessage();
    return status.withDescription(what + " failed: " + detail).withCause(t).asRuntimeException();
  }
}
