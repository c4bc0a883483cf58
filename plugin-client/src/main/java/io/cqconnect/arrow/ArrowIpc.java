package io.cqconnect.arrow;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Encodes and decodes the Arrow IPC stream blobs that CloudQuery puts in its protocol {@code bytes}
 * fields: a schema blob is a schema message plus end-of-stream, a record blob is a schema message,
 * exactly one record batch and end-of-stream. No compression, no dictionaries.
 */
public final class ArrowIpc {

  private static final int CONTINUATION = 0xFFFFFFFF;
  private static final int PREFIX_SIZE = 8;

  private ArrowIpc() {}

  /** Encodes a schema as an IPC stream holding only the schema message and end-of-stream. */
  public static ByteString schemaToBytes(Schema schema) {
    Objects.requireNonNull(schema, "schema");
    ByteString.Output out = ByteString.newOutput(256 + 64 * schema.getFields().size());
    try (WriteChannel channel = new WriteChannel(Channels.newChannel(out))) {
      // Same bytes as ArrowStreamWriter.start() + end() with no batch, without needing vectors.
      MessageSerializer.serialize(channel, schema, IpcOption.DEFAULT);
      ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Could not encode Arrow schema: " + e.getMessage(), e);
    }
    return out.toByteString();
  }

  /** Decodes a schema blob (or the schema at the start of a record blob). */
  public static Schema schemaFromBytes(ByteString bytes) {
    validateFraming(bytes, "schema");
    try {
      return MessageSerializer.deserializeSchema(
          new ReadChannel(Channels.newChannel(bytes.newInput())));
    } catch (IOException | RuntimeException e) {
      throw invalid("schema", bytes, e);
    }
  }

  /** Encodes the root's current rows as one record blob: schema, one batch, end-of-stream. */
  public static ByteString recordToBytes(VectorSchemaRoot root) {
    Objects.requireNonNull(root, "root");
    ByteString.Output out = ByteString.newOutput(estimateSize(root));
    try (ArrowStreamWriter writer =
        new ArrowStreamWriter(root, new DictionaryProvider.MapDictionaryProvider(), out)) {
      writer.start();
      writer.writeBatch();
      writer.end();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Could not encode Arrow record: " + e.getMessage(), e);
    }
    return out.toByteString();
  }

  /**
   * The record blob with its leading schema message replaced by {@code schema}'s, the batch and
   * end-of-stream kept as they are: for a schema with the same columns and other metadata (the
   * table a plugin announced, where its inserts flag other keys).
   *
   * @throws ArrowFormatException if the bytes are not a record blob
   */
  public static ByteString withSchema(ByteString record, Schema schema) {
    int schemaEnd = validateFraming(record, "record");
    if (schemaEnd < 0) {
      throw new ArrowFormatException(
          "Arrow record blob (" + record.size() + " bytes) holds no schema; expected a record");
    }
    ByteString message = schemaToBytes(schema);
    // schemaToBytes ends with the 8-byte end-of-stream marker (continuation, length 0).
    return message.substring(0, message.size() - PREFIX_SIZE).concat(record.substring(schemaEnd));
  }

  /**
   * Decodes the first record batch of a record blob into a new root owned by the caller, who must
   * close it. The vectors are allocated from {@code allocator}.
   *
   * @throws ArrowFormatException if the bytes are not an Arrow IPC stream or hold no record batch
   */
  public static VectorSchemaRoot recordFromBytes(ByteString bytes, BufferAllocator allocator) {
    Objects.requireNonNull(allocator, "allocator");
    validateFraming(bytes, "record");
    try (ArrowStreamReader reader = new ArrowStreamReader(bytes.newInput(), allocator)) {
      if (!reader.loadNextBatch()) {
        throw new ArrowFormatException(
            "Arrow record blob ("
                + bytes.size()
                + " bytes) holds a schema but no record batch; expected a record, not a schema");
      }
      return detach(reader.getVectorSchemaRoot(), allocator);
    } catch (ArrowFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw invalid("record", bytes, e);
    }
  }

  /**
   * Calls {@code consumer} once per record batch in the blob. The root passed to the consumer is
   * reused between batches and closed afterwards: it is valid only inside the callback.
   */
  public static void forEachBatch(
      ByteString bytes, BufferAllocator allocator, Consumer<VectorSchemaRoot> consumer) {
    Objects.requireNonNull(allocator, "allocator");
    Objects.requireNonNull(consumer, "consumer");
    validateFraming(bytes, "record");
    try (ArrowStreamReader reader = new ArrowStreamReader(bytes.newInput(), allocator)) {
      VectorSchemaRoot root;
      try {
        root = reader.getVectorSchemaRoot();
      } catch (IOException | RuntimeException e) {
        throw invalid("record", bytes, e);
      }
      while (true) {
        boolean loaded;
        try {
          loaded = reader.loadNextBatch();
        } catch (IOException | RuntimeException e) {
          throw invalid("record", bytes, e);
        }
        if (!loaded) {
          return;
        }
        // Exceptions from the consumer are its own and pass through unchanged.
        consumer.accept(root);
      }
    } catch (IOException e) {
      throw invalid("record", bytes, e);
    }
  }

  private static VectorSchemaRoot detach(VectorSchemaRoot source, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(source.getFieldVectors().size());
    for (FieldVector vector : source.getFieldVectors()) {
      TransferPair pair = vector.getTransferPair(vector.getField(), allocator);
      pair.transfer();
      vectors.add((FieldVector) pair.getTo());
    }
    return new VectorSchemaRoot(source.getSchema(), vectors, source.getRowCount());
  }

  private static int estimateSize(VectorSchemaRoot root) {
    long size = 512;
    for (FieldVector vector : root.getFieldVectors()) {
      size += 128 + vector.getBufferSize();
    }
    return (int) Math.min(size, 64L * 1024 * 1024);
  }

  /**
   * Walks the message framing before Arrow reads it, so that garbage cannot make Arrow allocate
   * huge buffers from a random length prefix, and so the error can say what is wrong.
   *
   * @return where the first message ends (its framing, metadata and body): in a record blob, the
   *     length of the leading schema message; -1 when the blob starts with end-of-stream
   */
  static int validateFraming(ByteString bytes, String what) {
    Objects.requireNonNull(bytes, "bytes");
    int size = bytes.size();
    if (size == 0) {
      throw new ArrowFormatException(
          "Arrow " + what + " blob is empty; expected an Arrow IPC stream");
    }
    int pos = 0;
    int messages = 0;
    int firstEnd = -1;
    while (pos < size) {
      if (size - pos < 4) {
        throw malformed(what, bytes, "truncated message length at offset " + pos);
      }
      int length = intAt(bytes, pos);
      pos += 4;
      if (length == CONTINUATION) {
        if (size - pos < 4) {
          throw malformed(what, bytes, "truncated message length at offset " + pos);
        }
        length = intAt(bytes, pos);
        pos += 4;
      }
      // Without a continuation marker this is the pre-0.15 framing, which Arrow still reads.
      if (length == 0) {
        return firstEnd; // end-of-stream marker (-1 when it is the first)
      }
      if (length < 0 || length > size - pos) {
        throw malformed(
            what,
            bytes,
            "message length " + length + " at offset " + (pos - 4) + " exceeds the blob size");
      }
      long bodyLength;
      try {
        bodyLength = metadata(bytes, pos, length).bodyLength();
      } catch (RuntimeException e) {
        throw malformed(what, bytes, "unreadable message header at offset " + pos);
      }
      pos += length;
      if (bodyLength < 0 || bodyLength > size - pos) {
        throw malformed(
            what,
            bytes,
            "message body length " + bodyLength + " at offset " + pos + " exceeds the blob size");
      }
      pos += (int) bodyLength;
      if (messages++ == 0) {
        firstEnd = pos;
      }
    }
    if (messages == 0) {
      throw malformed(what, bytes, "no message found");
    }
    return firstEnd;
  }

  /**
   * The header of the message framed at {@code pos} of a blob {@link #validateFraming} accepted, or
   * null at end-of-stream or the blob's end: the flatbuffer is read in place, the body not at all.
   */
  static Message messageAt(ByteString bytes, int pos) {
    if (pos > bytes.size() - 4) {
      return null;
    }
    int length = intAt(bytes, pos);
    pos += 4;
    if (length == CONTINUATION) {
      length = intAt(bytes, pos);
      pos += 4;
    }
    return length == 0 ? null : metadata(bytes, pos, length);
  }

  /** The message header of {@code length} bytes at {@code pos}, viewed without copying the blob. */
  private static Message metadata(ByteString bytes, int pos, int length) {
    // Only the small header is viewed as a buffer: no copy of the whole blob, even for a rope
    // ByteString.
    ByteBuffer metadata =
        bytes.substring(pos, pos + length).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return Message.getRootAsMessage(metadata);
  }

  private static int intAt(ByteString bytes, int pos) {
    return (bytes.byteAt(pos) & 0xff)
        | (bytes.byteAt(pos + 1) & 0xff) << 8
        | (bytes.byteAt(pos + 2) & 0xff) << 16
        | (bytes.byteAt(pos + 3) & 0xff) << 24;
  }

  private static ArrowFormatException malformed(String what, ByteString bytes, String detail) {
    return new ArrowFormatException(
        "Arrow "
            + what
            + " blob of "
            + bytes.size()
            + " bytes is not a valid Arrow IPC stream ("
            + detail
            + "); first bytes: "
            + hexPrefix(bytes));
  }

  private static ArrowFormatException invalid(String what, ByteString bytes, Exception cause) {
    return new ArrowFormatException(
        "Could not decode Arrow "
            + what
            + " blob of "
            + bytes.size()
            + " bytes as an Arrow IPC stream: "
            + cause
            + "; first bytes: "
            + hexPrefix(bytes),
        cause);
  }

  private static String hexPrefix(ByteString bytes) {
    int n = Math.min(16, bytes.size());
    StringBuilder sb = new StringBuilder(n * 2);
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", bytes.byteAt(i) & 0xff));
    }
    return sb.toString();
  }
}
