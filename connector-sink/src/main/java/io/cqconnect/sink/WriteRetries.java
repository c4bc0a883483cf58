package io.cqconnect.sink;

import io.cqconnect.config.SinkConfig;
import io.cqconnect.plugin.GrpcErrors;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's retry policy for writes to the destination plugin: a transport failure, a retriable
 * gRPC status or a plugin process that died becomes a {@link RetriableException} after {@code
 * context.timeout(retry.backoff.ms)}, at most {@code retry.max} times in a row; any other failure
 * fails the task. Either way the open streams are aborted, to be replayed in full on a new one.
 * Used by the task thread only.
 */
final class WriteRetries {

  private static final Logger log = LoggerFactory.getLogger(WriteRetries.class);

  private final SinkConfig config;
  private final String label;
  private final SinkTaskContext context;
  private final DestinationPlugin plugin;
  private final WritePipeline pipeline;
  private final SinkMetrics metrics;
  private int failures;

  WriteRetries(
      SinkConfig config,
      String label,
      SinkTaskContext context,
      DestinationPlugin plugin,
      WritePipeline pipeline,
      SinkMetrics metrics) {
    this.config = config;
    this.label = label;
    this.context = context;
    this.plugin = plugin;
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  /** Streams what is queued, completing streams as batches fall due; failures go to the policy. */
  void write(boolean now) {
    long confirmed = pipeline.confirmations();
    try {
      pipeline.write(now);
      if (pipeline.confirmations() > confirmed) {
        reset(); // retries count failures in a row: a confirmed stream ends the row
      }
    } catch (RuntimeException e) {
      throw failed(e, plugin.dropIfGone(e));
    }
  }

  /**
   * Failures in a row count from zero again: a write was confirmed, or what failed was discarded.
   */
  void reset() {
    failures = 0;
  }

  /**
   * Classifies a write failure, once the plugin was checked (and dropped when its process is gone):
   * the exception to throw, retriable (after the backoff, bounded) or fatal.
   */
  RuntimeException failed(RuntimeException e, boolean gone) {
    metrics.writeFailed();
    pipeline.abort("write failed");
    if (!gone && !GrpcErrors.isRetriable(e)) {
      return e instanceof ConnectException
          ? e
          : new ConnectException("Writing to the destination plugin failed: " + e.getMessage(), e);
    }
    failures++;
    if (failures > config.retryMax()) {
      return new ConnectException(
          "Writing to the destination plugin failed "
              + failures
              + " times in a row (retry.max="
              + config.retryMax()
              + "); last error: "
              + e.getMessage(),
          e);
    }
    long backoff = config.retryBackoff().toMillis();
    context.timeout(backoff);
    log.warn(
        "sink task {}: write failed (attempt {} of {}), retrying in {} ms: {}",
        label,
        failures,
        config.retryMax() + 1,
        backoff,
        e.getMessage());
    return new RetriableException(
        "Write to the destination plugin failed, retrying in " + backoff + " ms: " + e.getMessage(),
        e);
  }
}
