package io.cqconnect.sink;

import io.cqconnect.config.SinkConfig;
import io.cqconnect.config.WriteMode;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each consumed record into what it asks of the destination, in the order of the records:
 * rows join their table's batch ({@link RowBatcher}), an Arrow batch becomes an insert of its own
 * ({@link ArrowBatches}), a tombstone or a plugin's delete a delete after everything before it, a
 * sync-end marker the table's migrate and, in {@code overwrite-delete-stale}, its stale delete.
 * Records that cannot be written go to {@link ErrantRecords}. A tombstone of a table this task
 * never migrated is sent on a stream of its own ({@link MissingTableTombstones}). Used by the task
 * thread only.
 */
final class RecordRouter {

  private static final Logger log = LoggerFactory.getLogger(RecordRouter.class);

  private final SinkConfig config;
  private final String label;
  private final Map<String, String> renames;
  private final String sourceFallback;
  private final IncomingRecord.SyncTimes syncTimes = new IncomingRecord.SyncTimes();
  private final TableShapes shapes;
  private final RowBatcher batcher;
  private final ArrowBatches arrowBatches;
  private final DeletePredicates deletes;
  private final ErrantRecords errant;
  private final WriteBuffer buffer;
  private final WritePipeline pipeline;
  private final DestinationPlugin plugin;
  private final WriteRetries retries;
  private final SinkMetrics metrics;
  private final MissingTableTombstones missingTables;

  /**
   * A record delete was queued and no row since: the next row first waits until the stream holding
   * the delete is answered. CloudQuery's SQLite destination (its SDK batch writer) runs a queued
   * delete as soon as the next insert arrives, in that stream or a concurrent one, before the rows
   * it still buffers for the deleted table are written; so a delete followed by more rows in the
   * same or an overlapping stream can miss the rows it should delete.
   */
  private boolean deleteInFlight;

  RecordRouter(
      SinkConfig config,
      String label,
      TableShapes shapes,
      RowBatcher batcher,
      ArrowBatches arrowBatches,
      DeletePredicates deletes,
      ErrantRecords errant,
      WriteBuffer buffer,
      WritePipeline pipeline,
      DestinationPlugin plugin,
      WriteRetries retries,
      SinkMetrics metrics) {
    this.config = config;
    this.label = label;
    this.renames = config.tableRenames();
    this.sourceFallback = config.sourceNameFallback().orElse(null);
    this.shapes = shapes;
    this.batcher = batcher;
    this.arrowBatches = arrowBatches;
    this.deletes = deletes;
    this.errant = errant;
    this.buffer = buffer;
    this.pipeline = pipeline;
    this.plugin = plugin;
    this.retries = retries;
    this.metrics = metrics;
    this.missingTables = new MissingTableTombstones(label, metrics);
  }

  /**
   * Queues what {@code record} asks of the destination, or reports it when it cannot be written.
   */
  void handle(SinkRecord record) {
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
      retries.write(true);
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
      retries.write(true); // everything before the delete is confirmed first
      deleteInFlight = false;
      deleteAlone(in, delete);
      return;
    }
    queueDelete(in, delete);
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
        throw retries.failed(e, gone);
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
    retries.reset();
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
    WriteOp delete;
    try {
      delete = deletes.forwarded(in.table(), in.payload(), in.record());
    } catch (DataException e) {
      errant.report(in.record(), e);
      return;
    }
    queueDelete(in, delete);
  }

  /** Queues a record delete behind everything consumed before it; rows after it wait for it. */
  private void queueDelete(IncomingRecord in, WriteOp delete) {
    buffer.add(delete, System.nanoTime());
    deleteInFlight = true;
    metrics.rowsDeleted(in.table());
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
}
