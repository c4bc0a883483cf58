package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compare.VectorEqualsVisitor;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per Arrow type CloudQuery emits: Arrow vectors (with nulls and edge values) go through
 * IPC, to Connect (checked against expected Connect values) and back to Arrow, which must equal the
 * original schema and data.
 */
class ArrowConnectTypesTest {

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

  static Stream<TypeCases.TypeCase> cases() {
    return Stream.of(
            ScalarTypeCases.scalar(), TemporalTypeCases.temporal(), NestedTypeCases.nested())
        .flatMap(List::stream);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldRoundTripValuesAndSchemaWhenConvertingArrowToConnectAndBack(TypeCases.TypeCase c) {
    Field id =
        new Field(
            "id",
            new FieldType(
                false,
                new ArrowType.Int(64, true),
                null,
                Map.of(CqMetadata.PRIMARY_KEY, "true", CqMetadata.UNIQUE, "false")),
            null);
    Schema schema = new Schema(List.of(id, c.field()), Map.of(CqMetadata.TABLE_NAME, "types"));
    try (VectorSchemaRoot original = VectorSchemaRoot.create(schema, allocator)) {
      original.allocateNew();
      c.fill().accept(original.getVector(1));
      int rows = c.expected() != null ? c.expected().size() : 3;
      for (int r = 0; r < rows; r++) {
        ((BigIntVector) original.getVector(0)).setSafe(r, r);
      }
      original.setRowCount(rows);
      ByteString bytes = ArrowIpc.recordToBytes(original);

      try (VectorSchemaRoot decoded = ArrowIpc.recordFromBytes(bytes, allocator)) {
        CqTable table = CqTable.fromSchema(decoded.getSchema());
        ArrowToConnect fast = new ArrowToConnect(table);
        ArrowToConnect validating =
            new ArrowToConnect(table, TimestampMapping.MILLISECONDS, Structs.VALIDATING);
        List<Struct> values = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
          Struct value = fast.value(decoded, r);
          value.validate();
          assertThat(value).isEqualTo(validating.value(decoded, r));
          assertThat(fast.key(decoded, r).getInt64("id")).isEqualTo((long) r);
          if (c.expected() != null) {
            assertThat(value.get("c")).as("row %d", r).isEqualTo(c.expected().get(r));
          }
          values.add(value);
        }

        ConnectToArrow back = new ConnectToArrow();
        Schema backSchema = back.arrowSchema("types", fast.valueSchema(), Set.of("id"));
        assertThat(backSchema).isEqualTo(schema);
        try (VectorSchemaRoot rebuilt = back.toArrow(backSchema, values, allocator)) {
          assertThat(rebuilt.getRowCount()).isEqualTo(rows);
          assertThat(VectorEqualsVisitor.vectorEquals(original.getVector(1), rebuilt.getVector(1)))
              .as(
                  "original %s rebuilt %s",
                  original.contentToTSVString(), rebuilt.contentToTSVString())
              .isTrue();
          ByteString again = ArrowIpc.recordToBytes(rebuilt);
          assertThat(ArrowIpc.schemaFromBytes(again)).isEqualTo(schema);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldGiveTheSameConnectValuesWhenTheInsertDecoderReusesTheSchemasRoot(
      TypeCases.TypeCase c) {
    Schema schema = new Schema(List.of(c.field()), Map.of(CqMetadata.TABLE_NAME, "types"));
    ByteString bytes;
    try (VectorSchemaRoot original = VectorSchemaRoot.create(schema, allocator)) {
      original.allocateNew();
      c.fill().accept(original.getVector(0));
      original.setRowCount(c.expected() != null ? c.expected().size() : 3);
      bytes = ArrowIpc.recordToBytes(original);
    }
    try (RecordDecoder<ArrowToConnect> decoder = new RecordDecoder<>(allocator, 4);
        VectorSchemaRoot expected = ArrowIpc.recordFromBytes(bytes, allocator)) {
      ArrowToConnect reference = new ArrowToConnect(CqTable.fromSchema(expected.getSchema()));
      for (int pass = 0; pass < 2; pass++) {
        try (RecordDecoder.Batch<ArrowToConnect> batch = decoder.decode(bytes)) {
          if (batch.attachment() == null) {
            batch.attach(new ArrowToConnect(CqTable.fromSchema(batch.root().getSchema())));
          }
          assertThat(batch.root().getRowCount()).isEqualTo(expected.getRowCount());
          for (int r = 0; r < expected.getRowCount(); r++) {
            assertThat(batch.attachment().value(batch.root(), r))
                .as("pass %d row %d", pass, r)
                .isEqualTo(reference.value(expected, r));
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldStoreANullOfEveryTypeWhenConvertingConnectToArrow(TypeCases.TypeCase c) {
    Field column = c.field();
    Schema schema = new Schema(List.of(column), Map.of(CqMetadata.TABLE_NAME, "types"));
    ArrowToConnect toConnect = new ArrowToConnect(CqTable.fromSchema(schema));
    org.apache.kafka.connect.data.Schema valueSchema = toConnect.valueSchema();
    List<Struct> values = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      values.add(new Struct(valueSchema)); // every column null
    }
    ConnectToArrow back = new ConnectToArrow();
    Schema backSchema = back.arrowSchema("types", valueSchema, Set.of());
    try (VectorSchemaRoot rebuilt = back.toArrow(backSchema, values, allocator)) {
      for (int r = 0; r < 3; r++) {
        assertThat(rebuilt.getVector(0).isNull(r)).as("row %d", r).isTrue();
      }
    }
  }
}
