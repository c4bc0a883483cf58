package io.cqconnect.sink;

import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.config.SinkConfig;
import io.cqconnect.config.WriteMode;
import io.cqconnect.plugin.GrpcErrors;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kafka records to a CloudQuery destination plugin.
 *
 * <p>Contract with the Connect runtime (all calls on the task thread): {@code put} converts and
 * queues the records and streams them on an open {@code Write}; when a table reaches {@code
 * batch.max.rows} / {@code batch.max.bytes} or the oldest queued row is {@code batch.timeout.ms}
 * old, the stream is half-closed and its answer collected in the background while the next batch is
 * converted ({@link WritePipeline}); a sync-end marker (delete-stale) and every {@code preCommit}
 * wait for everything. {@code preCommit} returns only offsets of records such an answered stream
 * confirmed, never those of queued rows. A failed stream is replayed in full on a new one:
 * transport failures become {@link RetriableException} after {@code
 * context.timeout(retry.backoff.ms)}, at most {@code retry.max} times in a row; the plugin is
 * started again if its process died. Records that cannot be converted go to the errant record
 * reporter when configured, else fail the task naming topic, partition, offset and field.
 */
public class CloudQuerySinkTask extends SinkTask {

  /** Task-only key the connector adds: the task's number, used as a metrics tag. */
  public static final String TASK_ID_CONFIG = "task.id";

  private static final Logger log = LoggerFactory.getLogger(CloudQuerySinkTask.class);

  private SinkConfig config;
  private String label;
  private Map<String, String> renames;
  private String sourceFallback;
  private final IncomingRecord.SyncTimes syncTimes = new IncomingRecord.SyncTimes();
  private RootAllocator rootAllocator;
  private BufferAllocator encodeAllocator;
  private BufferAllocator deleteAllocator;
  private TableShapes shapes;
  private RowBatcher batcher;
  private ArrowBatches arrowBatches;
  private DeletePredicates deletes;
  private ErrantRecords errant;
  private SinkMetrics metrics;
  private DestinationPlugin plugin;
  private WritePipeline pipeline;
  private MissingTableTombstones missingTables;
  private final WriteBuffer buffer = new WriteBuffer();
  private final OffsetTracker offsets = new OffsetTracker();
  private int failures;
  private boolean stopped;

  /**
   * A record delete was queued and no row since: the next row first waits until the stream holding
   * the delete is answered. CloudQuery's SQLite destination (its SDK batch writer) runs a queued
   * delete as soon as the next insert arrives, in that stream or a concurrent one, before the rows
   * it still buffers for the deleted table are written; so a delete followed by more rows in the
   * same or an overlapping stream can miss the rows it should delete.
   */
  private boolean deleteInFlight;

  @Override
  public String version() {
    return Version.get();
  }

  @Override
  public void start(Map<String, String> props) {
    config = new SinkConfig(props);
    String connector =
        config.connectorName().isEmpty() ? "cloudquery-sink" : config.connectorName();
    int task = parseTaskId(props.get(TASK_ID_CONFIG));
    label = connector + "-" + task;
    renames = config.tableRenames();
    sourceFallback = config.sourceNameFallback().orElse(null);
    metrics = new SinkMetrics(connector, task);
    rootAllocator = new RootAllocator();
    encodeAllocator =
        rootAllocator.newChildAllocator("cq-sink-" + label + "-encode", 0, Long.MAX_VALUE);
    deleteAllocator =
        rootAllocator.newChildAllocator("cq-sink-" + label + "-delete", 0, Long.MAX_VALUE);
    ConnectToArrow converter = new ConnectToArrow();
    shapes = new TableShapes(config.writeMode(), config.pkMode(), converter);
    errant = new ErrantRecords(context, metrics::sentToDlq);
    RowBatcher.Limits limits =
        new RowBatcher.Limits(
            config.batchMaxRows(), config.batchMaxBytes(), config.grpcMaxMessageBytes());
    batcher =
        new RowBatcher(
            converter,
            encodeAllocator,
            limits,
            errant,
            insert -> buffer.add(insert, System.nanoTime()));
    arrowBatches = new ArrowBatches(shapes, encodeAllocator, limits);
    deletes = new DeletePredicates(converter, deleteAllocator);
    plugin = new DestinationPlugin(config, "cq-sink-" + label, metrics::pluginRestarted);
    pipeline = new WritePipeline(config, label, plugin, buffer, offsets, metrics);
    missingTables = new MissingTableTombstones(label, metrics);
    // Open now, so a bad plugin path or spec fails the task at once with the plugin's message.
    plugin.client();
    log.info(
        "sink task {} started: write.mode={}, migrate.mode={}, pk.mode={}, errant records to {}",
        label,
        config.writeMode(),
        config.migrateMode(),
        config.pkMode(),
        errant.hasReporter() ? "the errant record reporter" : "a task failure");
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    for (SinkRecord record : records) {
      if (offsets.seen(record)) {
        continue; // redelivered after a retriable failure: still queued here
      }
      handle(record);
      // Registered only once handled: a record whose handling failed is handled again when
      // Connect delivers it again, and no offset is confirmed before its record is queued.
      offsets.accept(record);
    }
    batcher.sealAll();
    write(false);
    Duration due = pipeline.untilDue();
    if (due != null) {
      // Make Connect call put again (possibly with nothing) when the batch timeout is due.
      context.timeout(Math.max(1, due.toMillis()));
    }
  }

  private void handle(SinkRecord record) {
    IncomingRecord in;
    try {
      in = IncomingRecord.classify(record, renames, sourceFallback, syncTimes);
    } catch (DataException e) {
      errant.report(record, e);
      return;
    }
    switch (in.kind()) {
      case ROW:
        addRow(in);
        break;
      case ARROW_BATCH:
        addBatch(in);
        break;
      case TOMBSTONE:
        addTombstone(in);
        break;
      case SYNC_END:
        addSyncEnd(in);
        break;
      case DELETE_RECORD:
        addDeleteRecord(in);
        break;
      default:
        if (record.key() == null && record.value() == null) {
          metrics.tombstoneSkipped(in.table()); // no key names no row to delete
        }
        break;
    }
  }

  /** Before the first row after a record delete: waits until the stream holding it is answered. */
  private void awaitDelete() {
    if (deleteInFlight) {
      batcher.sealAll();
      write(true);
      deleteInFlight = false;
    }
  }

  private void addRow(IncomingRecord in) {
    awaitDelete();
    SinkRecord record = in.record();
    TableShape shape;
    try {
      if (!(record.value() instanceof Struct)) {
        throw new DataException(
            "the value is a "
                + record.value().getClass().getSimpleName()
                + ", not a Struct with a schema; use a value converter with schemas (e.g."
                + " JsonConverter with schemas.enable=true, Avro, Protobuf)");
      }
      shape = shapes.shapeFor(in.table(), ((Struct) record.value()).schema(), record.keySchema());
    } catch (DataException e) {
      errant.report(record, cannotWrite(in, e));
      return;
    }
    batcher.add(shape, (Struct) record.value(), in.source(), in.syncTime(), record);
  }

  /**
   * A whole plugin insert ({@code record.format=arrow}): after the table's open rows, one insert of
   * the batch as it came (or its rows, when the shape does not keep a column's type).
   */
  private void addBatch(IncomingRecord in) {
    awaitDelete();
    ArrowBatches.Result batch;
    try {
      batch = arrowBatches.decode(in);
    } catch (DataException e) {
      errant.report(in.record(), cannotWrite(in, e));
      return;
    }
    if (batch.insert() == null) {
      for (Struct row : batch.rows()) {
        batcher.add(batch.shape(), row, in.source(), in.syncTime(), in.record());
      }
      return;
    }
    batcher.seal(in.table());
    buffer.add(batch.insert(), System.nanoTime());
  }

  private void addTombstone(IncomingRecord in) {
    batcher.sealAll(); // every row consumed before the delete goes before it in the stream
    WriteOp delete;
    try {
      delete = deletes.forTombstone(in.table(), in.record());
    } catch (DataException e) {
      errant.report(in.record(), e);
      return;
    }
    if (missingTables.mustIsolate(in.table(), pipeline.migrates(in.table()))) {
      write(true); // everything before the delete is confirmed first
      deleteInFlight = false;
      deleteAlone(in, delete);
      return;
    }
    buffer.add(delete, System.nanoTime());
    deleteInFlight = true;
    metrics.rowsDeleted(in.table());
  }

  /**
   * The delete of a table this task never migrated, on a stream of its own: a permanent refusal
   * (the destination does not have the table) skips the tombstone; any other failure goes to the
   * retry policy. See {@link MissingTableTombstones}.
   */
  private void deleteAlone(IncomingRecord in, WriteOp delete) {
    try {
      pipeline.writeAlone(delete);
    } catch (RuntimeException e) {
      boolean gone = plugin.dropIfGone(e);
      if (!MissingTableTombstones.isRefusal(e, gone)) {
        throw failed(e, gone);
      }
      missingTables.skipped(in, e);
      if (!pipeline.emptyWriteSucceeds()
          && !plugin.restartIfLaunched("it repeats the refused delete in every Write")) {
        log.warn(
            "sink task {}: the dialled destination plugin fails every Write since it refused the"
                + " delete of table '{}' (it keeps the delete queued); restart the plugin",
            label,
            in.table());
      }
      return;
    }
    failures = 0;
    missingTables.deleted(in.table());
    metrics.rowsDeleted(in.table());
  }

  /**
   * A table's sync ended: the table is migrated with the schema the source announced (so a table
   * that had no rows exists, as after a CLI sync), then, in {@code overwrite-delete-stale} and when
   * the source says the CLI would, its stale rows are deleted once everything before is written.
   */
  private void addSyncEnd(IncomingRecord in) {
    batcher.seal(in.table());
    if (in.payload() != null) {
      try {
        buffer.add(
            new WriteOp.Migrate(shapes.shapeOf(in.table(), in.payload())), System.nanoTime());
      } catch (DataException e) {
        errant.report(in.record(), cannotWrite(in, e));
        return;
      }
    }
    if (config.writeMode() != WriteMode.OVERWRITE_DELETE_STALE || !in.deleteStale()) {
      return; // the CLI's rule, decided by the source: not for incremental tables under state
    }
    if (in.source() == null || in.syncTime() == null) {
      log.warn(
          "sync-end marker at {} for table '{}' has no cq.source (and source.name is not set) or"
              + " no cq.sync.time; no stale rows are deleted for it",
          IncomingRecord.describe(in.record()),
          in.table());
      return;
    }
    buffer.addStaleDelete(
        new WriteOp.StaleDelete(in.table(), in.source(), in.syncTime()), System.nanoTime());
    pipeline.requestFlush();
  }

  /** A plugin's delete that is not a key delete: forwarded as it came, to the target table. */
  private void addDeleteRecord(IncomingRecord in) {
    batcher.sealAll(); // every row consumed before the delete goes before it in the stream
    try {
      buffer.add(deletes.forwarded(in.table(), in.payload(), in.record()), System.nanoTime());
      deleteInFlight = true;
      metrics.rowsDeleted(in.table());
    } catch (DataException e) {
      errant.report(in.record(), e);
    }
  }

  /** Streams what is queued, completing streams as batches fall due; failures go to the policy. */
  private void write(boolean now) {
    long confirmed = pipeline.confirmations();
    try {
      pipeline.write(now);
      if (pipeline.confirmations() > confirmed) {
        failures = 0; // retries count failures in a row: a confirmed stream ends the row
      }
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /** Classifies a write failure: retriable (with backoff, bounded) or fatal. */
  private RuntimeException failed(RuntimeException e) {
    return failed(e, plugin.dropIfGone(e));
  }

  /** Like {@link #failed(RuntimeException)}, when the plugin was checked (and dropped) already. */
  private RuntimeException failed(RuntimeException e, boolean gone) {
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

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    try {
      write(true);
    } catch (RetriableException e) {
      log.info("sink task {}: flush before commit failed, will retry: {}", label, e.getMessage());
    } catch (RuntimeException e) {
      // The next put repeats the flush and fails the task with this error.
      log.error("sink task {}: flush before commit failed: {}", label, e.getMessage());
    }
    return offsets.committable(currentOffsets);
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    offsets.forget(partitions);
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    if (offsets.hasUnconfirmed() || !buffer.isEmpty()) {
      try {
        write(true);
      } catch (RuntimeException e) {
        log.warn(
            "sink task {}: could not write the queued records before partitions {} were closed;"
                + " they will be consumed again: {}",
            label,
            partitions,
            e.getMessage());
        discard(partitions);
      }
    }
    offsets.forget(partitions);
  }

  /** Drops everything queued and rewinds the partitions this task keeps to the first dropped. */
  private void discard(Collection<TopicPartition> closing) {
    pipeline.discard("records discarded");
    batcher.clear();
    failures = 0;
    Set<TopicPartition> closed = new HashSet<>(closing);
    offsets
        .rewind()
        .forEach(
            (partition, offset) -> {
              if (!closed.contains(partition)) {
                context.offset(partition, offset);
              }
            });
  }

  /**
   * Visible for testing: the id of the destination plugin process this task launched, so a test can
   * kill exactly that process; empty when the plugin is dialled or not open.
   */
  OptionalLong pluginPid() {
    return plugin == null ? OptionalLong.empty() : plugin.pid();
  }

  @Override
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    long start = System.nanoTime();
    if (pipeline != null) {
      pipeline.close();
    }
    if (plugin != null) {
      plugin.close();
    }
    if (arrowBatches != null) {
      arrowBatches.close();
    }
    closeAllocator(deleteAllocator);
    closeAllocator(encodeAllocator);
    closeAllocator(rootAllocator);
    if (metrics != null) {
      metrics.close();
    }
    log.info(
        "sink task {} stopped in {} ms",
        label,
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private static void closeAllocator(BufferAllocator allocator) {
    if (allocator == null) {
      return;
    }
    try {
      allocator.close();
    } catch (RuntimeException e) {
      log.warn("closing Arrow allocator {}: {}", allocator.getName(), e.getMessage());
    }
  }

  private static DataException cannotWrite(IncomingRecord in, DataException e) {
    return new DataException(
        "Cannot write the record at "
            + IncomingRecord.describe(in.record())
            + " to table '"
            + in.table()
            + "': "
            + e.getMessage(),
        e);
  }

  private static int parseTaskId(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
