package io.cqconnect.arrow;

/**
 * Bytes that should hold an Arrow IPC stream do not: thrown by {@link ArrowIpc}. A plain {@link
 * IllegalArgumentException} rather than Connect's {@code DataException}, so that processes that are
 * not Connect workers (the standalone state server, the demo plugin) need no Kafka classes; the
 * connectors map it where the difference matters.
 */
public final class ArrowFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  ArrowFormatException(String message) {
    super(message);
  }

  ArrowFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
