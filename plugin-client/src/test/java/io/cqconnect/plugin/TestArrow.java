package io.cqconnect.plugin;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Minimal Arrow IPC stream helpers for tests of the transport (the real codec lives in {@code
 * io.cqconnect.arrow}; these tests stay independent of it).
 */
final class TestArrow {

  static final BufferAllocator ALLOCATOR = new RootAllocator();

  private TestArrow() {}

  /** The schema of an IPC stream blob. */
  static Schema schema(ByteString blob) {
    try (ArrowStreamReader reader = new ArrowStreamReader(blob.newInput(), ALLOCATOR)) {
      return reader.getVectorSchemaRoot().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code cq:table_name} of an IPC stream blob's schema. */
  static String tableName(ByteString blob) {
    return schema(blob).getCustomMetadata().get("cq:table_name");
  }

  /** Total rows over all batches of an IPC stream blob. */
  static int rowCount(ByteString blob) {
    int[] rows = {0};
    forEachBatch(blob, root -> rows[0] += root.getRowCount());
    return rows[0];
  }

  /** Calls {@code each} for every batch; the root is valid only inside the call. */
  static void forEachBatch(ByteString blob, Consumer<VectorSchemaRoot> each) {
    try (ArrowStreamReader reader = new ArrowStreamReader(blob.newInput(), ALLOCATOR)) {
      while (reader.loadNextBatch()) {
        each.accept(reader.getVectorSchemaRoot());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Row values of column {@code column} as strings over all batches. */
  static List<String> columnValues(ByteString blob, String column) {
    List<String> values = new ArrayList<>();
    forEachBatch(
        blob,
        root -> {
          for (int i = 0; i < root.getRowCount(); i++) {
            Object v = root.getVector(column).getObject(i);
            values.add(v == null ? null : v.toString());
          }
        });
    return values;
  }

  /** A schema-only IPC stream (schema message then end of stream). */
  static ByteString schemaBlob(Schema schema) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, ALLOCATOR)) {
      return write(root, false);
    }
  }

  /** An IPC stream with the schema, exactly one batch, and end of stream. */
  static ByteString recordBlob(VectorSchemaRoot root) {
    return write(root, true);
  }

  private static ByteString write(VectorSchemaRoot root, boolean withBatch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
      writer.start();
      if (withBatch) {
        writer.writeBatch();
      }
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteString.copyFrom(out.toByteArray());
  }
}
