package io.cqconnect.sink;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ConnectToArrow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Gathers consecutive rows of each table into runs and turns a run into one Arrow insert (one
 * record batch, one message) when it is sealed: when it reaches the row limit or, by the table's
 * last measured bytes per row, the byte limit, when something else happens to its table (a
 * tombstone, a marker, a schema change), or at the end of a {@code put}.
 *
 * <p>The byte limit is kept for real: a sealed run whose encoding is larger than {@code
 * batch.max.bytes} (or than a gRPC message may be) is split in halves until each part fits, and a
 * single row too large for any gRPC message goes to the {@link Errant} handler instead of failing
 * the whole write.
 *
 * <p>Conversion happens inside {@code put}, so a row that cannot be converted is attributed to its
 * record: the whole run is retried row by row, and each bad record goes to the {@link Errant}
 * handler (the dead letter queue, or a task failure naming topic, partition, offset and column).
 * Arrow memory is held only while encoding; sealed inserts are heap bytes. Not thread-safe.
 */
final class RowBatcher {

  /** Receives records whose values cannot be written. */
  interface Errant {
    void report(SinkRecord record, RuntimeException error);
  }

  private final ConnectToArrow converter;
  private final BufferAllocator allocator;
  private final Limits limits;
  private final Errant errant;
  private final Consumer<WriteOp.Insert> sealed;
  private final Map<String, Run> runs = new LinkedHashMap<>();

  /** Per table, the encoded bytes per row of its last insert (an estimate for the next run). */
  private final Map<String, Long> bytesPerRow = new HashMap<>();

  /**
   * How large one insert may get.
   *
   * @param maxRows {@code batch.max.rows}
   * @param maxBytes {@code batch.max.bytes}: the encoded size an insert should not exceed
   * @param maxMessageBytes {@code grpc.max.message.bytes}: the size no insert may exceed
   */
  record Limits(int maxRows, long maxBytes, long maxMessageBytes) {

    /** Room left in a gRPC message for the request's own fields around the Arrow bytes. */
    static final long MESSAGE_OVERHEAD = 1024;

    /** The largest insert a gRPC message can carry. */
    long maxInsertBytes() {
      return maxMessageBytes - MESSAGE_OVERHEAD;
    }

    /** The size above which a run of more than one row is split. */
    long splitAbove() {
      return Math.min(maxBytes, maxInsertBytes());
    }
  }

  RowBatcher(
      ConnectToArrow converter,
      BufferAllocator allocator,
      Limits limits,
      Errant errant,
      Consumer<WriteOp.Insert> sealed) {
    this.converter = converter;
    this.allocator = allocator;
    this.limits = limits;
    this.errant = errant;
    this.sealed = sealed;
  }

  /** Adds one row; seals the table's run first if the row has another shape. */
  void add(TableShape shape, Struct value, String source, Instant syncTime, SinkRecord record) {
    Run run = runs.get(shape.table());
    if (run != null && run.shape != shape) {
      seal(shape.table());
      run = null;
    }
    if (run == null) {
      run = new Run(shape);
      runs.put(shape.table(), run);
    }
    run.values.add(value);
    run.sources.add(source);
    run.syncTimes.add(syncTime);
    run.records.add(record);
    long perRow = bytesPerRow.getOrDefault(shape.table(), 0L);
    if (run.values.size() >= limits.maxRows()
        || (perRow > 0 && perRow * run.values.size() >= limits.maxBytes())) {
      seal(shape.table());
    }
  }

  /** Seals the open run of {@code table}, if any. */
  void seal(String table) {
    Run run = runs.remove(table);
    if (run != null && !run.values.isEmpty()) {
      emit(run);
    }
  }

  /** Seals every open run. */
  void sealAll() {
    List<String> tables = new ArrayList<>(runs.keySet());
    for (String table : tables) {
      seal(table);
    }
  }

  /** Drops the open runs (their records will be consumed again). */
  void clear() {
    runs.clear();
  }

  /** Rows in open runs. */
  int pendingRows() {
    int rows = 0;
    for (Run run : runs.values()) {
      rows += run.values.size();
    }
    return rows;
  }

  private void emit(Run run) {
    ByteString encoded;
    try {
      encoded = encode(run.shape, run.values, run.sources, run.syncTimes);
    } catch (DataException whole) {
      emitGoodRows(run);
      return;
    }
    int rows = run.values.size();
    bytesPerRow.put(run.shape.table(), Math.max(1L, encoded.size() / rows));
    if (rows > 1 && encoded.size() > limits.splitAbove()) {
      emit(run.slice(0, rows / 2));
      emit(run.slice(rows / 2, rows));
    } else if (encoded.size() > limits.maxInsertBytes()) {
      SinkRecord record = run.records.get(0);
      errant.report(
          record,
          new DataException(
              "The record at "
                  + IncomingRecord.describe(record)
                  + " for table '"
                  + run.shape.table()
                  + "' is "
                  + encoded.size()
                  + " bytes as Arrow, more than one gRPC message may carry; raise"
                  + " grpc.max.message.bytes (default 200 MiB) on the sink and the limit of the"
                  + " destination plugin, or route the record elsewhere"));
    } else {
      sealed.accept(new WriteOp.Insert(run.shape, encoded, rows));
    }
  }

  /** Writes the rows of {@code run} that can be encoded; reports each one that cannot. */
  private void emitGoodRows(Run run) {
    Run good = new Run(run.shape);
    for (int i = 0; i < run.values.size(); i++) {
      try {
        encode(
            run.shape,
            List.of(run.values.get(i)),
            single(run.sources.get(i)),
            single(run.syncTimes.get(i)));
        good.values.add(run.values.get(i));
        good.sources.add(run.sources.get(i));
        good.syncTimes.add(run.syncTimes.get(i));
        good.records.add(run.records.get(i));
      } catch (DataException e) {
        SinkRecord record = run.records.get(i);
        errant.report(
            record,
            new DataException(
                "Cannot write the record at "
                    + IncomingRecord.describe(record)
                    + " to table '"
                    + run.shape.table()
                    + "': "
                    + e.getMessage(),
                e));
      }
    }
    if (!good.values.isEmpty()) {
      emit(good);
    }
  }

  private static <T> List<T> single(T value) {
    List<T> list = new ArrayList<>(1);
    list.add(value);
    return list;
  }

  /** Encodes rows as one record blob, filling the CLI columns the shape adds. */
  ByteString encode(
      TableShape shape, List<Struct> values, List<String> sources, List<Instant> syncTimes) {
    try (VectorSchemaRoot root = converter.toArrow(shape.schema(), values, allocator)) {
      int rows = values.size();
      fillCliColumns(root, shape, sources, syncTimes, rows);
      root.setRowCount(rows);
      return ArrowIpc.recordToBytes(root);
    }
  }

  /**
   * Fills the {@code _cq_sync_time} and {@code _cq_source_name} columns the shape adds (if any) for
   * {@code rows} rows from the records' headers.
   */
  static void fillCliColumns(
      VectorSchemaRoot root,
      TableShape shape,
      List<String> sources,
      List<Instant> syncTimes,
      int rows) {
    if (shape.syncTimeColumn() >= 0) {
      TimeStampVector vector = (TimeStampVector) root.getVector(shape.syncTimeColumn());
      for (int i = 0; i < rows; i++) {
        Instant time = syncTimes.get(i);
        if (time == null) {
          vector.setNull(i);
        } else {
          vector.setSafe(i, time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000);
        }
      }
    }
    if (shape.sourceNameColumn() >= 0) {
      VarCharVector vector = (VarCharVector) root.getVector(shape.sourceNameColumn());
      for (int i = 0; i < rows; i++) {
        String source = sources.get(i);
        if (source == null) {
          vector.setNull(i);
        } else {
          vector.setSafe(i, source.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** Consecutive rows of one table with one shape. */
  private static final class Run {
    final TableShape shape;
    final List<Struct> values = new ArrayList<>();
    final List<String> sources = new ArrayList<>();
    final List<Instant> syncTimes = new ArrayList<>();
    final List<SinkRecord> records = new ArrayList<>();

    Run(TableShape shape) {
      this.shape = shape;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) as a run of their own. */
    Run slice(int from, int to) {
      Run part = new Run(shape);
      part.values.addAll(values.subList(from, to));
      part.sources.addAll(sources.subList(from, to));
      part.syncTimes.addAll(syncTimes.subList(from, to));
      part.records.addAll(records.subList(from, to));
      return part;
    }
  }
}
