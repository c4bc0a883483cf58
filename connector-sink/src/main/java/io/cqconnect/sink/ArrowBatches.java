package io.cqconnect.sink;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.cqconnect.arrow.ArrowFormatException;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.arrow.RecordDecoder;
import io.cqconnect.plugin.SyncHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a record of a source with {@code record.format=arrow} (a whole plugin insert as an Arrow
 * IPC stream, header {@code cq.format=arrow-ipc}) into one insert of its table's {@link TableShape}
 * — the shape a row of the same table gets, so write mode, primary-key mode and the CLI columns are
 * applied the same way and one {@code migrate_table} serves rows, batches and markers.
 *
 * <p>The batch's columns are written as they came: the output batch is the decoded vectors (no
 * copy) under the shape's schema, plus the {@code _cq_sync_time} / {@code _cq_source_name} columns
 * the shape adds, filled from the record's headers. When a column's Arrow type differs from the
 * shape's (a type the Connect round trip does not keep), or the batch is larger than {@code
 * batch.max.bytes}, it is handed over as rows instead ({@link Result#rows()}), which the {@link
 * RowBatcher} writes (and splits) like any other rows. The per-schema work (Connect schemas, column
 * mapping) is done once per distinct schema message ({@link RecordDecoder}). Not thread-safe: owned
 * by the task thread.
 */
final class ArrowBatches implements AutoCloseable {

  /** Distinct batch schemas whose decoding state is kept. */
  private static final int MAX_SCHEMAS = 256;

  private final TableShapes shapes;
  private final BufferAllocator allocator;
  private final RowBatcher.Limits limits;
  private final RecordDecoder<BatchSchema> decoder;

  /**
   * @param shapes the task's table shapes (shared with the row path)
   * @param allocator decodes and encodes batches; not closed here
   * @param limits the row path's insert limits: a batch above {@code batch.max.bytes} goes as rows
   */
  ArrowBatches(TableShapes shapes, BufferAllocator allocator, RowBatcher.Limits limits) {
    this.shapes = shapes;
    this.allocator = allocator;
    this.limits = limits;
    this.decoder = new RecordDecoder<>(allocator, MAX_SCHEMAS);
  }

  /**
   * What an {@code arrow-ipc} record becomes: an insert ready to queue, or the batch's rows with
   * their shape for the row path (types the shape does not keep, or a batch above {@code
   * batch.max.bytes}, which the row path splits as it splits any run of rows).
   */
  record Result(WriteOp.Insert insert, TableShape shape, List<Struct> rows) {}

  /**
   * Decodes the record's Arrow batch for its table.
   *
   * @throws DataException if the value is not bytes, not an Arrow IPC stream, or cannot be written
   *     as the table (the record goes to the errant record reporter)
   */
  Result decode(IncomingRecord in) {
    ByteString bytes = bytesOf(in);
    RecordDecoder.Batch<BatchSchema> batch;
    try {
      batch = decoder.decode(bytes);
    } catch (ArrowFormatException e) {
      throw new DataException(
          "the record says "
              + SyncHeaders.FORMAT
              + "="
              + SyncHeaders.ARROW_IPC
              + " but its value is not an Arrow IPC stream: "
              + e.getMessage(),
          e);
    }
    try (batch) {
      VectorSchemaRoot root = batch.root();
      BatchSchema schema = batch.attachment();
      if (schema == null) {
        schema = new BatchSchema(root.getSchema());
        batch.attach(schema);
      }
      TableShape shape =
          shapes.shapeFor(in.table(), schema.connect.valueSchema(), schema.connect.keySchema());
      int[] columns = schema.columnsFor(shape);
      int rows = root.getRowCount();
      if (columns != null) {
        ByteString encoded = encode(shape, root, columns, in);
        if (encoded.size() <= limits.splitAbove()) {
          return new Result(new WriteOp.Insert(shape, encoded, rows), shape, null);
        }
      }
      List<Struct> values = new ArrayList<>(rows);
      for (int row = 0; row < rows; row++) {
        values.add(schema.connect.value(root, row));
      }
      return new Result(null, shape, values);
    }
  }

  /** The batch's vectors under the shape's schema, plus the CLI columns the shape adds. */
  private ByteString encode(
      TableShape shape, VectorSchemaRoot root, int[] columns, IncomingRecord in) {
    List<Field> fields = shape.schema().getFields();
    List<FieldVector> vectors = new ArrayList<>(fields.size());
    List<FieldVector> added = new ArrayList<>(2);
    try {
      for (int i = 0; i < fields.size(); i++) {
        if (columns[i] >= 0) {
          vectors.add(root.getVector(columns[i]));
        } else {
          FieldVector vector = fields.get(i).createVector(allocator);
          added.add(vector);
          vectors.add(vector);
        }
      }
      int rows = root.getRowCount();
      VectorSchemaRoot out = new VectorSchemaRoot(shape.schema(), vectors, rows);
      RowBatcher.fillCliColumns(
          out,
          shape,
          Collections.nCopies(rows, in.source()),
          Collections.nCopies(rows, in.syncTime()),
          rows);
      out.setRowCount(rows);
      return ArrowIpc.recordToBytes(out);
    } finally {
      added.forEach(FieldVector::close);
    }
  }

  private static ByteString bytesOf(IncomingRecord in) {
    Object value = in.record().value();
    if (value instanceof byte[] array) {
      return UnsafeByteOperations.unsafeWrap(array);
    }
    if (value instanceof ByteBuffer buffer) {
      return ByteString.copyFrom(buffer.duplicate());
    }
    throw new DataException(
        "the record says "
            + SyncHeaders.FORMAT
            + "="
            + SyncHeaders.ARROW_IPC
            + " but its value is "
            + (value == null ? "null" : "a " + value.getClass().getSimpleName())
            + ", not bytes; read the topic with"
            + " value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
  }

  /** Releases the decoder's cached roots. */
  @Override
  public void close() {
    decoder.close();
  }

  /** What a batch schema means here: its Connect schemas and, per shape, where each column is. */
  private static final class BatchSchema {
    final ArrowToConnect connect;
    private TableShape lastShape;
    private int[] lastColumns;

    BatchSchema(Schema schema) {
      try {
        this.connect = new ArrowToConnect(CqTable.fromSchema(schema));
      } catch (RuntimeException e) {
        throw new DataException("the Arrow batch's schema is not a table: " + e.getMessage(), e);
      }
    }

    /**
     * For each column of the shape, the index of the batch column written there (-1: a CLI column
     * the shape adds); null when a column's type differs, so the batch must go as rows.
     */
    int[] columnsFor(TableShape shape) {
      if (shape != lastShape) {
        lastColumns = map(shape);
        lastShape = shape;
      }
      return lastColumns;
    }

    private int[] map(TableShape shape) {
      List<Field> source = connect.table().schema().getFields();
      List<Field> target = shape.schema().getFields();
      int[] columns = new int[target.size()];
      for (int i = 0; i < target.size(); i++) {
        columns[i] = -1;
        if (i == shape.syncTimeColumn() || i == shape.sourceNameColumn()) {
          continue;
        }
        for (int j = 0; j < source.size(); j++) {
          if (source.get(j).getName().equals(target.get(i).getName())) {
            columns[i] = j;
          }
        }
        if (columns[i] < 0 || !sameType(source.get(columns[i]), target.get(i))) {
          return null;
        }
      }
      return columns;
    }

    private static boolean sameType(Field a, Field b) {
      if (!Objects.equals(a.getType(), b.getType())
          || a.getChildren().size() != b.getChildren().size()) {
        return false;
      }
      for (int i = 0; i < a.getChildren().size(); i++) {
        if (!sameType(a.getChildren().get(i), b.getChildren().get(i))) {
          return false;
        }
      }
      return true;
    }
  }
}
