package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectToArrowTest {

  private BufferAllocator allocator;
  private final ConnectToArrow toArrow = new ConnectToArrow();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    assertThat(allocator.getAllocatedMemory()).as("leaked Arrow memory").isZero();
    allocator.close();
  }

  private static final org.apache.kafka.connect.data.Schema PLAIN =
      SchemaBuilder.struct()
          .name("com.example.Order")
          .field("i8", org.apache.kafka.connect.data.Schema.INT8_SCHEMA)
          .field("i16", org.apache.kafka.connect.data.Schema.OPTIONAL_INT16_SCHEMA)
          .field("i32", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
          .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
          .field("f32", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
          .field("f64", org.apache.kafka.connect.data.Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("ok", org.apache.kafka.connect.data.Schema.BOOLEAN_SCHEMA)
          .field("name", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
          .field("blob", org.apache.kafka.connect.data.Schema.OPTIONAL_BYTES_SCHEMA)
          .field("price", Decimal.builder(2).optional().build())
          .field("day", Date.builder().optional().build())
          .field("at", Time.builder().optional().build())
          .field("ts", Timestamp.builder().optional().build())
          .field(
              "tags",
              SchemaBuilder.array(org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                  .optional()
                  .build())
          .field(
              "attrs",
              SchemaBuilder.map(
                      org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA,
                      org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
                  .optional()
                  .build())
          .field(
              "address",
              SchemaBuilder.struct()
                  .name("com.example.Address")
                  .field("city", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                  .optional()
                  .build())
          .build();

  @Test
  void shouldUseCloudQueryDefaultTypesWhenConnectSchemaHasNoArrowParameters() {
    Schema schema = toArrow.arrowSchema("orders", PLAIN, Set.of("id"));

    assertThat(schema.getCustomMetadata())
        .containsExactly(Map.entry(CqMetadata.TABLE_NAME, "orders"));
    assertThat(schema.findField("i8").getType()).isEqualTo(new ArrowType.Int(8, true));
    assertThat(schema.findField("i8").isNullable()).isFalse();
    assertThat(schema.findField("i16").isNullable()).isTrue();
    assertThat(schema.findField("id").getMetadata()).containsEntry(CqMetadata.PRIMARY_KEY, "true");
    assertThat(schema.findField("i32").getMetadata()).isEmpty();
    assertThat(schema.findField("f32").getType())
        .isEqualTo(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    assertThat(schema.findField("ok").getType()).isEqualTo(ArrowType.Bool.INSTANCE);
    assertThat(schema.findField("name").getType()).isEqualTo(ArrowType.Utf8.INSTANCE);
    assertThat(schema.findField("blob").getType()).isEqualTo(ArrowType.Binary.INSTANCE);
    assertThat(schema.findField("price").getType()).isEqualTo(new ArrowType.Decimal(38, 2, 128));
    assertThat(schema.findField("day").getType()).isEqualTo(new ArrowType.Date(DateUnit.DAY));
    assertThat(schema.findField("at").getType())
        .isEqualTo(new ArrowType.Time(TimeUnit.MILLISECOND, 32));
    assertThat(schema.findField("ts").getType())
        .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
    Field tags = schema.findField("tags");
    assertThat(tags.getType()).isEqualTo(ArrowType.List.INSTANCE);
    assertThat(tags.getChildren().get(0).getName()).isEqualTo("item");
    assertThat(tags.getChildren().get(0).isNullable()).isFalse();
    Field entries = schema.findField("attrs").getChildren().get(0);
    assertThat(entries.getName()).isEqualTo("entries");
    assertThat(entries.getChildren()).extracting(Field::getName).containsExactly("key", "value");
    assertThat(entries.getChildren().get(0).isNullable()).as("map keys are never null").isFalse();
    assertThat(schema.findField("address").getChildren())
        .extracting(Field::getName)
        .containsExactly("city");
  }

  @Test
  void shouldWriteRowsOfPlainConnectSchema() {
    Schema schema = toArrow.arrowSchema("orders", PLAIN, Set.of("id"));
    Struct row =
        new Struct(PLAIN)
            .put("i8", (byte) -1)
            .put("i32", 5)
            .put("id", 77L)
            .put("f32", 1.5f)
            .put("ok", true)
            .put("name", "n")
            .put("price", new BigDecimal("12.30"))
            .put("ts", new java.util.Date(1_700_000_000_123L))
            .put("tags", List.of("a", "b"))
            .put("attrs", Map.of("k", 1))
            .put("address", new Struct(PLAIN.field("address").schema()).put("city", "Oslo"));

    try (VectorSchemaRoot root = toArrow.toArrow(schema, List.of(row), allocator)) {
      assertThat(root.getRowCount()).isEqualTo(1);
      assertThat(((BigIntVector) root.getVector("id")).get(0)).isEqualTo(77L);
      assertThat(((org.apache.arrow.vector.TimeStampVector) root.getVector("ts")).get(0))
          .isEqualTo(1_700_000_000_123_000L);
      assertThat(root.getVector("price").getObject(0)).isEqualTo(new BigDecimal("12.30"));
      assertThat(root.getVector("tags").getObject(0)).hasToString("[\"a\",\"b\"]");
      assertThat(root.getVector("address").getObject(0)).hasToString("{\"city\":\"Oslo\"}");
      assertThat(root.getVector("name").getObject(0)).hasToString("n");
      assertThat(root.getVector("f64").isNull(0)).isTrue();
    }
  }

  @Test
  void shouldFlagOnlyGivenPrimaryKeysAndUnflagOthersWhenKeysAreGiven() {
    org.apache.kafka.connect.data.Schema value =
        SchemaBuilder.struct()
            .field("a", SchemaBuilder.string().parameter(CqMetadata.PRIMARY_KEY, "true").build())
            .field("b", SchemaBuilder.string().parameter(CqMetadata.UNIQUE, "false").build())
            .build();

    Schema append = toArrow.arrowSchema("t", value, Set.of());
    Schema onB = toArrow.arrowSchema("t", value, Set.of("b"));
    Schema asIs = toArrow.arrowSchema("t", value, null);

    assertThat(append.findField("a").getMetadata()).containsEntry(CqMetadata.PRIMARY_KEY, "false");
    assertThat(append.findField("b").getMetadata()).doesNotContainKey(CqMetadata.PRIMARY_KEY);
    assertThat(onB.findField("b").getMetadata())
        .containsEntry(CqMetadata.PRIMARY_KEY, "true")
        .containsEntry(CqMetadata.UNIQUE, "false");
    assertThat(asIs.findField("a").getMetadata()).containsEntry(CqMetadata.PRIMARY_KEY, "true");
    assertThat(CqTable.fromSchema(onB).primaryKeys()).containsExactly("b");
  }

  @Test
  void shouldRejectPrimaryKeyThatIsNotAField() {
    assertThatThrownBy(() -> toArrow.arrowSchema("orders", PLAIN, Set.of("missing")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("primary key column 'missing'");
  }

  @Test
  void shouldRejectValueSchemaThatIsNotAStruct() {
    assertThatThrownBy(
            () ->
                toArrow.arrowSchema("t", org.apache.kafka.connect.data.Schema.STRING_SCHEMA, null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("STRUCT");
    assertThatThrownBy(() -> toArrow.arrowSchema("t", null, null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no schema");
  }

  @Test
  void shouldRejectArrowTypeParameterThatDoesNotFitTheConnectType() {
    org.apache.kafka.connect.data.Schema value =
        SchemaBuilder.struct()
            .field(
                "s",
                SchemaBuilder.string().parameter(SchemaParameters.ARROW_TYPE, "uint64").build())
            .build();
    org.apache.kafka.connect.data.Schema garbage =
        SchemaBuilder.struct()
            .field(
                "s",
                SchemaBuilder.string().parameter(SchemaParameters.ARROW_TYPE, "nonsense").build())
            .build();

    assertThatThrownBy(() -> toArrow.arrowSchema("t", value, null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("column 's'")
        .hasMessageContaining("cq.arrow.type=uint64 needs Connect type BYTES");
    assertThatThrownBy(() -> toArrow.arrowSchema("t", garbage, null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("is not an Arrow type name");
  }

  @Test
  void shouldMatchRowFieldsByNameAndFillMissingOnesWithNull() {
    org.apache.kafka.connect.data.Schema target =
        SchemaBuilder.struct()
            .field("a", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("b", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    org.apache.kafka.connect.data.Schema reordered =
        SchemaBuilder.struct()
            .field("b", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA)
            .field("extra", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Schema schema = toArrow.arrowSchema("t", target, null);
    List<Struct> rows =
        List.of(
            new Struct(target).put("a", "x").put("b", 1L),
            new Struct(reordered).put("b", 2L).put("extra", "ignored"));

    try (VectorSchemaRoot root = toArrow.toArrow(schema, rows, allocator)) {
      assertThat(((VarCharVector) root.getVector("a")).getObject(0)).hasToString("x");
      assertThat(root.getVector("a").isNull(1)).isTrue();
      assertThat(((BigIntVector) root.getVector("b")).get(1)).isEqualTo(2L);
    }
  }

  private void assertRejected(
      org.apache.kafka.connect.data.Schema field, Object value, String message) {
    org.apache.kafka.connect.data.Schema value0 =
        SchemaBuilder.struct()
            .field("ok", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("c", field)
            .build();
    Schema schema = toArrow.arrowSchema("bad", value0, null);
    // Validation is bypassed on purpose: the sink may get structs built by lenient code.
    Struct row = new Struct(value0);
    Structs.DEFAULT.set(row, value0.field("ok"), "fine");
    if (value != null) {
      Structs.DEFAULT.set(row, value0.field("c"), value);
    }
    List<Struct> rows = List.of(row);

    assertThatThrownBy(() -> toArrow.toArrow(schema, rows, allocator))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Table 'bad' column 'c' row 0")
        .hasMessageContaining(message);
  }

  @Test
  void shouldRejectValuesThatDoNotFitTheirColumnAndReleaseTheMemory() {
    assertRejected(org.apache.kafka.connect.data.Schema.INT64_SCHEMA, null, "not nullable");
    assertRejected(
        SchemaBuilder.string().optional().parameter(CqMetadata.EXTENSION_NAME, "uuid").build(),
        "not-a-uuid",
        "not-a-uuid");
    assertRejected(
        SchemaBuilder.string().optional().parameter(CqMetadata.EXTENSION_NAME, "mac").build(),
        "zz:00",
        "invalid MAC address");
    assertRejected(
        SchemaBuilder.int16().optional().parameter(SchemaParameters.ARROW_TYPE, "uint8").build(),
        (short) 256,
        "out of range for uint8");
    assertRejected(
        Decimal.builder(0).optional().parameter(SchemaParameters.ARROW_TYPE, "uint64").build(),
        new BigDecimal("18446744073709551616"),
        "out of range for uint64");
    assertRejected(Decimal.builder(2).optional().build(), new BigDecimal("1.234"), "scale 2");
    assertRejected(
        SchemaBuilder.bytes()
            .optional()
            .parameter(SchemaParameters.ARROW_TYPE, "fixed_size_binary[4]")
            .build(),
        new byte[3],
        "exactly 4");
    assertRejected(
        SchemaBuilder.array(org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .optional()
            .parameter(SchemaParameters.ARROW_TYPE, "fixed_size_list[2]")
            .build(),
        List.of(1),
        "exactly 2");
    assertRejected(org.apache.kafka.connect.data.Schema.OPTIONAL_BOOLEAN_SCHEMA, "yes", "String");
  }

  @Test
  void shouldWriteUuidFromStringUuidOrBytes() {
    org.apache.kafka.connect.data.Schema value =
        SchemaBuilder.struct()
            .field(
                "u",
                SchemaBuilder.string()
                    .optional()
                    .parameter(CqMetadata.EXTENSION_NAME, "uuid")
                    .parameter(CqMetadata.EXTENSION_METADATA, "uuid-serialized")
                    .build())
            .build();
    Schema schema = toArrow.arrowSchema("t", value, null);
    Struct asString = new Struct(value).put("u", "123e4567-e89b-12d3-a456-426614174000");
    Struct asBytes = new Struct(value);
    Structs.DEFAULT.set(
        asBytes, value.field("u"), TextForms.uuidBytes("00000000-0000-0000-0000-0000000000ff"));

    try (VectorSchemaRoot root = toArrow.toArrow(schema, List.of(asString, asBytes), allocator)) {
      assertThat(schema.findField("u").getType()).isEqualTo(new ArrowType.FixedSizeBinary(16));
      byte[] first = ((FixedSizeBinaryVector) root.getVector("u")).get(0);
      assertThat(first[0]).isEqualTo((byte) 0x12);
      assertThat(first[15]).isEqualTo((byte) 0x00);
      assertThat(((FixedSizeBinaryVector) root.getVector("u")).get(1)[15]).isEqualTo((byte) 0xff);
    }
  }
}
