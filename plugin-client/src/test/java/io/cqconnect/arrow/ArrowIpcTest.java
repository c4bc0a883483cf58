package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArrowIpcTest {

  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    assertThat(allocator.getAllocatedMemory()).as("leaked Arrow memory").isZero();
    allocator.close();
  }

  static Schema tableSchema() {
    Field id =
        new Field(
            "id",
            new FieldType(
                false,
                new ArrowType.Int(64, true),
                null,
                Map.of(CqMetadata.PRIMARY_KEY, "true", CqMetadata.UNIQUE, "false")),
            null);
    Field name = new Field("name", FieldType.nullable(new ArrowType.Utf8()), null);
    Field cqId =
        new Field(
            CqMetadata.CQ_ID,
            new FieldType(
                false,
                new ArrowType.FixedSizeBinary(16),
                null,
                Map.of(
                    CqMetadata.EXTENSION_NAME,
                    CqMetadata.EXT_UUID,
                    CqMetadata.EXTENSION_METADATA,
                    CqMetadata.EXT_UUID_METADATA)),
            null);
    return new Schema(
        List.of(cqId, id, name),
        Map.of(CqMetadata.TABLE_NAME, "items", CqMetadata.TABLE_DESCRIPTION, "d"));
  }

  private VectorSchemaRoot filledRoot(int rows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(tableSchema(), allocator);
    FixedSizeBinaryVector cqId = (FixedSizeBinaryVector) root.getVector(0);
    BigIntVector id = (BigIntVector) root.getVector(1);
    VarCharVector name = (VarCharVector) root.getVector(2);
    root.allocateNew();
    for (int i = 0; i < rows; i++) {
      byte[] uuid = new byte[16];
      uuid[15] = (byte) i;
      cqId.setSafe(i, uuid);
      id.setSafe(i, 1000L + i);
      if (i % 2 == 0) {
        name.setSafe(i, ("row-" + i).getBytes(StandardCharsets.UTF_8));
      } else {
        name.setNull(i);
      }
    }
    root.setRowCount(rows);
    return root;
  }

  @Test
  void shouldRoundTripSchemaWithTableAndFieldMetadata() {
    ByteString bytes = ArrowIpc.schemaToBytes(tableSchema());

    Schema decoded = ArrowIpc.schemaFromBytes(bytes);

    assertThat(decoded).isEqualTo(tableSchema());
    assertThat(decoded.getCustomMetadata()).containsEntry(CqMetadata.TABLE_NAME, "items");
    assertThat(decoded.getFields().get(0).getMetadata())
        .containsEntry(CqMetadata.EXTENSION_NAME, "uuid")
        .containsEntry(CqMetadata.EXTENSION_METADATA, "uuid-serialized");
  }

  @Test
  void shouldWriteSchemaBlobWithoutBatchWhenEncodingSchema() {
    ByteString bytes = ArrowIpc.schemaToBytes(tableSchema());

    // A schema blob is not a record: asking for a batch must fail clearly.
    assertThatThrownBy(() -> ArrowIpc.recordFromBytes(bytes, allocator))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("no record batch");
    List<Integer> seen = new ArrayList<>();
    ArrowIpc.forEachBatch(bytes, allocator, root -> seen.add(root.getRowCount()));
    assertThat(seen).isEmpty();
    // End-of-stream marker: continuation token then a zero length.
    assertThat(bytes.substring(bytes.size() - 8).toByteArray())
        .containsExactly(-1, -1, -1, -1, 0, 0, 0, 0);
  }

  @Test
  void shouldRoundTripRecordValuesAndMetadataWhenEncodingRecord() {
    ByteString bytes;
    try (VectorSchemaRoot root = filledRoot(3)) {
      bytes = ArrowIpc.recordToBytes(root);
    }

    try (VectorSchemaRoot decoded = ArrowIpc.recordFromBytes(bytes, allocator)) {
      assertThat(decoded.getSchema()).isEqualTo(tableSchema());
      assertThat(decoded.getRowCount()).isEqualTo(3);
      BigIntVector id = (BigIntVector) decoded.getVector("id");
      VarCharVector name = (VarCharVector) decoded.getVector("name");
      FixedSizeBinaryVector cqId = (FixedSizeBinaryVector) decoded.getVector(CqMetadata.CQ_ID);
      assertThat(id.get(0)).isEqualTo(1000L);
      assertThat(id.get(2)).isEqualTo(1002L);
      assertThat(new String(name.get(0), StandardCharsets.UTF_8)).isEqualTo("row-0");
      assertThat(name.isNull(1)).isTrue();
      assertThat(cqId.get(2)[15]).isEqualTo((byte) 2);
      assertThat(decoded.getVector("id").getField().getMetadata())
          .containsEntry(CqMetadata.PRIMARY_KEY, "true");
    }
    assertThat(ArrowIpc.schemaFromBytes(bytes)).isEqualTo(tableSchema());
  }

  @Test
  void shouldRoundTripZeroRowRecord() {
    ByteString bytes;
    try (VectorSchemaRoot root = filledRoot(0)) {
      bytes = ArrowIpc.recordToBytes(root);
    }

    try (VectorSchemaRoot decoded = ArrowIpc.recordFromBytes(bytes, allocator)) {
      assertThat(decoded.getRowCount()).isZero();
      assertThat(decoded.getSchema()).isEqualTo(tableSchema());
    }
  }

  @Test
  void shouldVisitEveryBatchWhenStreamHoldsSeveral() throws IOException {
    ByteString.Output out = ByteString.newOutput();
    try (VectorSchemaRoot root = filledRoot(2);
        ArrowStreamWriter writer =
            new ArrowStreamWriter(root, new DictionaryProvider.MapDictionaryProvider(), out)) {
      writer.start();
      writer.writeBatch();
      ((BigIntVector) root.getVector("id")).set(0, 7L);
      root.setRowCount(1);
      writer.writeBatch();
      writer.end();
    }
    ByteString bytes = out.toByteString();
    List<Long> firstIds = new ArrayList<>();

    ArrowIpc.forEachBatch(
        bytes, allocator, root -> firstIds.add(((BigIntVector) root.getVector("id")).get(0)));

    assertThat(firstIds).containsExactly(1000L, 7L);
    try (VectorSchemaRoot first = ArrowIpc.recordFromBytes(bytes, allocator)) {
      assertThat(first.getRowCount()).isEqualTo(2);
    }
  }

  @Test
  void shouldDecodeRecordHeldInRopeByteString() {
    ByteString bytes;
    try (VectorSchemaRoot root = filledRoot(40)) {
      bytes = ArrowIpc.recordToBytes(root);
    }
    // gRPC can hand over a ByteString made of several chunks.
    int half = bytes.size() / 2;
    ByteString rope =
        bytes.substring(0, half).concat(ByteString.copyFrom(bytes.substring(half).toByteArray()));

    try (VectorSchemaRoot decoded = ArrowIpc.recordFromBytes(rope, allocator)) {
      assertThat(decoded.getRowCount()).isEqualTo(40);
      assertThat(((BigIntVector) decoded.getVector("id")).get(39)).isEqualTo(1039L);
    }
  }

  @Test
  void shouldThrowArrowFormatExceptionWhenBytesAreGarbage() {
    ByteString garbage = ByteString.copyFromUtf8("this is certainly not arrow data at all");

    assertThatThrownBy(() -> ArrowIpc.recordFromBytes(garbage, allocator))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("not a valid Arrow IPC stream")
        .hasMessageContaining("first bytes: 74686973");
    assertThatThrownBy(() -> ArrowIpc.schemaFromBytes(garbage))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("Arrow schema blob");
    assertThatThrownBy(() -> ArrowIpc.forEachBatch(garbage, allocator, root -> {}))
        .isInstanceOf(ArrowFormatException.class);
  }

  @Test
  void shouldThrowArrowFormatExceptionWhenLengthPrefixIsHuge() {
    // Continuation marker followed by a 2 GiB - 1 length: must not try to allocate it.
    ByteString bytes =
        ByteString.copyFrom(new byte[] {-1, -1, -1, -1, -1, -1, -1, 0x7f, 1, 2, 3, 4});

    assertThatThrownBy(() -> ArrowIpc.recordFromBytes(bytes, allocator))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("exceeds the blob size");
  }

  @Test
  void shouldThrowArrowFormatExceptionWhenBytesAreEmpty() {
    assertThatThrownBy(() -> ArrowIpc.schemaFromBytes(ByteString.EMPTY))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> ArrowIpc.recordFromBytes(ByteString.EMPTY, allocator))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void shouldThrowArrowFormatExceptionWhenRecordIsTruncated() {
    ByteString bytes;
    try (VectorSchemaRoot root = filledRoot(5)) {
      bytes = ArrowIpc.recordToBytes(root);
    }
    ByteString truncated = bytes.substring(0, bytes.size() - 40);

    assertThatThrownBy(() -> ArrowIpc.recordFromBytes(truncated, allocator))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("Arrow record blob");
  }

  @Test
  void shouldThrowArrowFormatExceptionWhenHeaderBytesAreCorrupted() {
    ByteString bytes;
    try (VectorSchemaRoot root = filledRoot(3)) {
      bytes = ArrowIpc.recordToBytes(root);
    }
    byte[] corrupted = bytes.toByteArray();
    for (int i = 8; i < 40; i++) {
      corrupted[i] = (byte) 0xA5;
    }

    assertThatThrownBy(() -> ArrowIpc.recordFromBytes(ByteString.copyFrom(corrupted), allocator))
        .isInstanceOf(ArrowFormatException.class)
        .hasMessageContaining("Arrow record blob");
  }
}
