package io.cqconnect.arrow;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Decodes the record blobs of a plugin's inserts (a schema message, one record batch,
 * end-of-stream; see {@link ArrowIpc}) doing the per-schema work once. Every blob of a table
 * repeats the same schema message: its bytes, compared as they are, select a cached {@link Batch}
 * holding the decoded Arrow schema, one root that each batch of that schema is loaded into, and
 * whatever the caller attached to the schema (its converter). A batch of a schema seen before costs
 * the framing check, a byte comparison and loading its buffers: no schema parsing, no new vectors.
 *
 * <p>A decoded batch is valid until the next {@link #decode} of the same schema; closing it
 * releases its buffers (the root stays cached, empty). At most {@code maxSchemas} schemas are kept;
 * the least recently used is dropped (and its root closed) beyond that. Not thread-safe.
 *
 * @param <T> what the caller attaches to a schema
 */
public final class RecordDecoder<T> implements AutoCloseable {

  private final BufferAllocator allocator;
  private final int maxSchemas;
  private final Map<ByteString, Batch<T>> bySchema;
  private Batch<T> last;

  /**
   * @param allocator allocates the roots and their buffers; not closed here
   * @param maxSchemas how many distinct schemas to keep (at least 1)
   */
  public RecordDecoder(BufferAllocator allocator, int maxSchemas) {
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    if (maxSchemas < 1) {
      throw new IllegalArgumentException("maxSchemas must be at least 1, was " + maxSchemas);
    }
    this.maxSchemas = maxSchemas;
    this.bySchema = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * Loads the blob's record batch into the root of its schema; the caller closes the returned batch
   * when done with its rows.
   *
   * @throws ArrowFormatException if the bytes are not an Arrow IPC stream or hold no record batch
   */
  public Batch<T> decode(ByteString blob) {
    int schemaEnd = ArrowIpc.validateFraming(blob, "record");
    Batch<T> batch = schemaOf(blob, schemaEnd);
    batch.load(blob, schemaEnd, allocator);
    return batch;
  }

  /**
   * The blob's schema (cached as by {@link #decode}) and its batch's row count, read from the
   * record batch message's header ({@code RecordBatch.length}) without loading the rows: for a
   * caller that forwards the bytes as they are. The root of the returned batch is left empty;
   * {@link Batch#rowCount()} is the blob's. The framing and the message types are checked as by
   * {@link #decode}; the body's buffers are not read.
   *
   * @throws ArrowFormatException if the bytes are not an Arrow IPC stream or hold no record batch
   */
  public Batch<T> peek(ByteString blob) {
    int schemaEnd = ArrowIpc.validateFraming(blob, "record");
    Batch<T> batch = schemaOf(blob, schemaEnd);
    batch.root.clear();
    Message message = ArrowIpc.messageAt(blob, schemaEnd);
    checkRecordBatch(blob, message == null ? -1 : message.headerType());
    long rows;
    try {
      rows = ((RecordBatch) message.header(new RecordBatch())).length();
    } catch (RuntimeException e) {
      throw new ArrowFormatException(
          "Arrow record blob (" + blob.size() + " bytes) has an unreadable record batch header", e);
    }
    if (rows < 0 || rows > Integer.MAX_VALUE) {
      throw new ArrowFormatException(
          "Arrow record blob (" + blob.size() + " bytes) has a batch of " + rows + " rows");
    }
    batch.rowCount = (int) rows;
    return batch;
  }

  private Batch<T> schemaOf(ByteString blob, int schemaEnd) {
    if (schemaEnd < 0) {
      throw new ArrowFormatException(
          "Arrow record blob (" + blob.size() + " bytes) holds no schema; expected a record");
    }
    ByteString schemaMessage = blob.substring(0, schemaEnd);
    Batch<T> batch = last;
    if (batch == null || !batch.schemaMessage.equals(schemaMessage)) {
      batch = bySchema.get(schemaMessage);
      if (batch == null) {
        batch = add(ByteString.copyFrom(schemaMessage.toByteArray()), blob);
      }
      last = batch;
    }
    return batch;
  }

  /**
   * Fails unless the message after a blob's schema is a record batch ({@code headerType} -1: none).
   */
  private static void checkRecordBatch(ByteString blob, int headerType) {
    if (headerType < 0) {
      throw new ArrowFormatException(
          "Arrow record blob ("
              + blob.size()
              + " bytes) holds a schema but no record batch; expected a record, not a"
              + " schema");
    }
    if (headerType != MessageHeader.RecordBatch) {
      throw new ArrowFormatException(
          "Arrow record blob ("
              + blob.size()
              + " bytes) has a message of type "
              + MessageHeader.name(headerType)
              + " after its schema; expected a record batch (dictionaries are not"
              + " supported)");
    }
  }

  /** Schemas kept now. */
  public int schemas() {
    return bySchema.size();
  }

  /** Closes every cached root. */
  @Override
  public void close() {
    bySchema.values().forEach(b -> b.root.close());
    bySchema.clear();
    last = null;
  }

  private Batch<T> add(ByteString schemaMessage, ByteString blob) {
    Schema schema = ArrowIpc.schemaFromBytes(blob);
    Batch<T> batch = new Batch<>(schemaMessage, VectorSchemaRoot.create(schema, allocator));
    bySchema.put(schemaMessage, batch);
    if (bySchema.size() > maxSchemas) {
      var eldest = bySchema.entrySet().iterator().next();
      eldest.getValue().root.close();
      bySchema.remove(eldest.getKey());
    }
    return batch;
  }

  /**
   * The rows of one decoded blob, in the root its schema shares with the other blobs of that
   * schema, and what the caller attached to the schema.
   */
  public static final class Batch<T> implements AutoCloseable {
    private final ByteString schemaMessage;
    private final VectorSchemaRoot root;
    private final VectorLoader loader;
    private T attachment;
    private int rowCount;

    private Batch(ByteString schemaMessage, VectorSchemaRoot root) {
      this.schemaMessage = schemaMessage;
      this.root = root;
      this.loader = new VectorLoader(root);
    }

    /** The rows; the same root (and vectors) for every batch of this schema. */
    public VectorSchemaRoot root() {
      return root;
    }

    /** Rows of the blob last decoded or peeked (with {@link #peek}, the root holds none). */
    public int rowCount() {
      return rowCount;
    }

    /** What the caller attached to this schema, or null. */
    public T attachment() {
      return attachment;
    }

    /** Attaches something to this schema (kept while the schema stays cached). */
    public void attach(T value) {
      this.attachment = value;
    }

    /** Releases the rows' buffers; the root stays cached for the next batch of the schema. */
    @Override
    public void close() {
      root.clear();
    }

    private void load(ByteString blob, int schemaEnd, BufferAllocator allocator) {
      try {
        ReadChannel in = new ReadChannel(Channels.newChannel(blob.substring(schemaEnd).newInput()));
        MessageMetadataResult message = MessageSerializer.readMessage(in);
        checkRecordBatch(blob, message == null ? -1 : message.headerType());
        ArrowBuf body =
            MessageSerializer.readMessageBody(in, message.getMessageBodyLength(), allocator);
        ArrowRecordBatch batch;
        try {
          // Takes over the body's reference (its buffers are slices of it).
          batch = MessageSerializer.deserializeRecordBatch(message, body);
        } catch (IOException | RuntimeException e) {
          body.getReferenceManager().release();
          throw e;
        }
        try (batch) {
          loader.load(batch);
        }
        rowCount = root.getRowCount();
      } catch (ArrowFormatException e) {
        root.clear();
        throw e;
      } catch (IOException | RuntimeException e) {
        root.clear();
        throw new ArrowFormatException(
            "Could not decode Arrow record blob of "
                + blob.size()
                + " bytes as an Arrow IPC stream: "
                + e,
            e);
      }
    }
  }
}
