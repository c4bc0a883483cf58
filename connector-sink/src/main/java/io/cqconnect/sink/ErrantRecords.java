package io.cqconnect.sink;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where records that cannot be written go: Connect's errant record reporter (the dead letter queue,
 * KIP-610) when the connector configures one, else a task failure whose message names topic,
 * partition, offset and the field at fault. Runtimes older than Kafka 2.6 have no reporter; the
 * lookup is guarded so the connector still runs there.
 */
final class ErrantRecords implements RowBatcher.Errant {

  private static final Logger log = LoggerFactory.getLogger(ErrantRecords.class);

  private final ErrantRecordReporter reporter;
  private final Runnable onReported;

  ErrantRecords(SinkTaskContext context, Runnable onReported) {
    this.reporter = lookup(context);
    this.onReported = onReported;
  }

  /** Whether bad records go to a reporter (else they fail the task). */
  boolean hasReporter() {
    return reporter != null;
  }

  @Override
  public void report(SinkRecord record, RuntimeException error) {
    if (reporter == null) {
      throw error instanceof ConnectException
          ? (ConnectException) error
          : new DataException(error.getMessage(), error);
    }
    log.warn(
        "sending the record at {} to the errant record reporter: {}",
        IncomingRecord.describe(record),
        error.getMessage());
    Future<Void> sent = reporter.report(record, error);
    onReported.run();
    if (sent.isDone()) {
      // A synchronous reporter (or one with tolerance none) fails right away: surface it here.
      try {
        sent.get();
      } catch (ExecutionException e) {
        throw new ConnectException(
            "Reporting the bad record at " + IncomingRecord.describe(record) + " failed",
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ErrantRecordReporter lookup(SinkTaskContext context) {
    if (context == null) {
      return null;
    }
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      log.info("this Connect runtime has no errant record reporter (before Kafka 2.6)");
      return null;
    }
  }
}
