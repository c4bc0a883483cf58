package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compare.VectorEqualsVisitor;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The insert decoder keyed by schema message: the same rows as {@link ArrowIpc#recordFromBytes},
 * one cached root per schema, and the same errors.
 */
class RecordDecoderTest {

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void tearDown() {
    assertThat(allocator.getAllocatedMemory()).as("leaked Arrow memory").isZero();
    allocator.close();
  }

  private static Schema schema(String table) {
    return new Schema(
        List.of(
            new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
            new Field("name", FieldType.nullable(new ArrowType.Utf8()), null)),
        Map.of(CqMetadata.TABLE_NAME, table));
  }

  private ByteString blob(String table, long firstId, int rows) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(table), allocator)) {
      root.allocateNew();
      for (int i = 0; i < rows; i++) {
        ((BigIntVector) root.getVector(0)).setSafe(i, firstId + i);
        if (i % 3 == 1) {
          ((VarCharVector) root.getVector(1)).setNull(i);
        } else {
          ((VarCharVector) root.getVector(1))
              .setSafe(i, (table + "-" + (firstId + i)).getBytes(StandardCharsets.UTF_8));
        }
      }
      root.setRowCount(rows);
      return ArrowIpc.recordToBytes(root);
    }
  }

  @Test
  void shouldDecodeTheRowsRecordFromBytesDecodesWithOneRootPerSchema() {
    try (RecordDecoder<String> decoder = new RecordDecoder<>(allocator, 8)) {
      VectorSchemaRoot itemsRoot = null;
      for (int round = 0; round < 3; round++) {
        for (String table : List.of("items", "users")) {
          ByteString bytes = blob(table, 100L * round, 5 + round);
          try (RecordDecoder.Batch<String> batch = decoder.decode(bytes);
              VectorSchemaRoot expected = ArrowIpc.recordFromBytes(bytes, allocator)) {
            VectorSchemaRoot root = batch.root();
            assertThat(root.getSchema()).isEqualTo(expected.getSchema());
            assertThat(root.getRowCount()).isEqualTo(5 + round);
            for (int c = 0; c < 2; c++) {
              assertThat(VectorEqualsVisitor.vectorEquals(root.getVector(c), expected.getVector(c)))
                  .as("round %d table %s column %d: %s", round, table, c, root.contentToTSVString())
                  .isTrue();
            }
            if (round == 0) {
              assertThat(batch.attachment()).as("nothing attached to a new schema").isNull();
              batch.attach(table);
            }
            assertThat(batch.attachment()).isEqualTo(table);
            if (table.equals("items")) {
              if (itemsRoot != null) {
                assertThat(root).as("the schema's root is reused").isSameAs(itemsRoot);
              }
              itemsRoot = root;
            }
          }
          assertThat(allocator.getAllocatedMemory())
              .as("closing a batch releases its buffers")
              .isZero();
        }
      }
      assertThat(decoder.schemas()).isEqualTo(2);
    }
  }

  @Test
  void shouldDropTheLeastRecentlyUsedSchemaBeyondTheLimit() {
    try (RecordDecoder<String> decoder = new RecordDecoder<>(allocator, 2)) {
      for (String table : List.of("a", "b", "a", "c")) {
        try (RecordDecoder.Batch<String> batch = decoder.decode(blob(table, 1, 2))) {
          if (batch.attachment() == null) {
            batch.attach(table);
          }
        }
      }
      assertThat(decoder.schemas()).isEqualTo(2);
      try (RecordDecoder.Batch<String> a = decoder.decode(blob("a", 1, 2))) {
        assertThat(a.attachment()).as("a was used after b: kept").isEqualTo("a");
      }
      try (RecordDecoder.Batch<String> b = decoder.decode(blob("b", 1, 2))) {
        assertThat(b.attachment()).as("b was dropped, so it starts afresh").isNull();
        assertThat(((BigIntVector) b.root().getVector(0)).get(1)).isEqualTo(2L);
      }
    }
  }

  @Test
  void shouldFailAsRecordFromBytesDoesAndDecodeTheNextGoodBlob() {
    ByteString good = blob("items", 7, 3);
    ByteString truncated = good.substring(0, good.size() - 40);
    ByteString schemaOnly = ArrowIpc.schemaToBytes(schema("items"));
    try (RecordDecoder<String> decoder = new RecordDecoder<>(allocator, 8)) {
      decoder.decode(good).close();

      assertThatThrownBy(() -> decoder.decode(schemaOnly))
          .isInstanceOf(ArrowFormatException.class)
          .hasMessageContaining("holds a schema but no record batch");
      assertThatThrownBy(() -> decoder.decode(truncated))
          .isInstanceOf(ArrowFormatException.class)
          .hasMessageContaining("Arrow record blob");
      assertThatThrownBy(() -> decoder.decode(ByteString.copyFromUtf8("not arrow data at all")))
          .isInstanceOf(ArrowFormatException.class)
          .hasMessageContaining("not a valid Arrow IPC stream");
      assertThatThrownBy(() -> decoder.decode(ByteString.EMPTY))
          .isInstanceOf(ArrowFormatException.class)
          .hasMessageContaining("empty");

      try (RecordDecoder.Batch<String> batch = decoder.decode(good)) {
        assertThat(batch.root().getRowCount()).isEqualTo(3);
        assertThat(((BigIntVector) batch.root().getVector(0)).get(2)).isEqualTo(9L);
      }
    }
  }

  @Test
  void shouldPeekTheRowCountAndSchemaOfABlobWithoutLoadingItsRows() {
    ByteString good = blob("items", 7, 3);
    try (RecordDecoder<String> decoder = new RecordDecoder<>(allocator, 8)) {
      for (int rows : List.of(0, 1, 50, 3)) {
        ByteString bytes = blob("items", 1, rows);
        int decoded;
        try (RecordDecoder.Batch<String> batch = decoder.decode(bytes)) {
          decoded = batch.rowCount();
          assertThat(decoded).isEqualTo(batch.root().getRowCount()).isEqualTo(rows);
          if (batch.attachment() == null) {
            batch.attach("items schema");
          }
        }
        long before = allocator.getAllocatedMemory();
        try (RecordDecoder.Batch<String> peeked = decoder.peek(bytes)) {
          assertThat(peeked.rowCount()).as("%d rows from the header", rows).isEqualTo(decoded);
          assertThat(peeked.attachment()).as("the same cached schema").isEqualTo("items schema");
          assertThat(peeked.root().getSchema()).isEqualTo(schema("items"));
          assertThat(peeked.root().getRowCount()).as("rows not loaded").isZero();
          assertThat(allocator.getAllocatedMemory()).as("no buffers").isEqualTo(before);
        }
      }
      try (RecordDecoder.Batch<String> other = decoder.peek(blob("users", 1, 4))) {
        assertThat(other.rowCount()).isEqualTo(4);
        assertThat(other.attachment()).as("a new schema").isNull();
      }
      assertThat(decoder.schemas()).isEqualTo(2);

      assertThatThrownBy(() -> decoder.peek(ArrowIpc.schemaToBytes(schema("items"))))
          .isInstanceOf(ArrowFormatException.class)
          .hasMessageContaining("holds a schema but no record batch");
      assertThatThrownBy(() -> decoder.peek(good.substring(0, good.size() - 40)))
          .isInstanceOf(ArrowFormatException.class)
          .hasMessageContaining("Arrow record blob");
      assertThatThrownBy(() -> decoder.peek(ByteString.copyFromUtf8("not arrow data at all")))
          .isInstanceOf(ArrowFormatException.class)
          .hasMessageContaining("not a valid Arrow IPC stream");
    }
  }
}
