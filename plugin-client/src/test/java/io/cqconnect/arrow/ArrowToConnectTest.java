package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.UnionMode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArrowToConnectTest {

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

  private static Field column(
      String name, ArrowType type, boolean nullable, Map<String, String> metadata) {
    return new Field(name, new FieldType(nullable, type, null, metadata), null);
  }

  private static Field column(String name, ArrowType type) {
    return column(name, type, true, null);
  }

  private static Schema table(String name, Field... fields) {
    return new Schema(List.of(fields), Map.of(CqMetadata.TABLE_NAME, name));
  }

  private static final Map<String, String> PK = Map.of(CqMetadata.PRIMARY_KEY, "true");

  @Test
  void shouldBuildKeyFromPrimaryKeyColumnsInColumnOrderWhenTableHasPrimaryKeys() {
    Schema schema =
        table(
            "accounts",
            TestTables.uuidField(CqMetadata.CQ_ID, false, Map.of()),
            column("region", ArrowType.Utf8.INSTANCE, false, PK),
            column("name", ArrowType.Utf8.INSTANCE),
            column("id", new ArrowType.Int(64, true), true, PK));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(schema));

    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      ((FixedSizeBinaryVector) root.getVector(0)).setSafe(0, new byte[16]);
      ((VarCharVector) root.getVector(1)).setSafe(0, "eu".getBytes());
      ((VarCharVector) root.getVector(2)).setNull(0);
      ((BigIntVector) root.getVector(3)).setSafe(0, 9);
      root.setRowCount(1);

      Struct key = mapper.key(root, 0);

      assertThat(mapper.keySchema().fields())
          .extracting(f -> f.name())
          .containsExactly("region", "id");
      assertThat(mapper.keySchema().field("region").schema().isOptional()).isFalse();
      assertThat(mapper.keySchema().field("id").schema().isOptional()).isTrue();
      assertThat(key.getString("region")).isEqualTo("eu");
      assertThat(key.getInt64("id")).isEqualTo(9L);
      assertThat(mapper.value(root, 0).getString("name")).isNull();
    }
  }

  @Test
  void shouldKeyOnCqIdWhenTableHasNoPrimaryKey() {
    Schema schema =
        table(
            "events",
            TestTables.uuidField(CqMetadata.CQ_ID, false, Map.of()),
            column("name", ArrowType.Utf8.INSTANCE));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(schema));

    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      byte[] id = new byte[16];
      id[0] = (byte) 0xab;
      id[15] = 1;
      ((FixedSizeBinaryVector) root.getVector(0)).setSafe(0, id);
      ((VarCharVector) root.getVector(1)).setSafe(0, "x".getBytes());
      root.setRowCount(1);

      assertThat(mapper.keySchema().fields()).extracting(f -> f.name()).containsExactly("_cq_id");
      assertThat(mapper.key(root, 0).getString("_cq_id"))
          .isEqualTo("ab000000-0000-0000-0000-000000000001");
    }
  }

  @Test
  void shouldHaveNoKeyWhenTableHasNeitherPrimaryKeyNorCqId() {
    Schema schema = table("plain", column("name", ArrowType.Utf8.INSTANCE));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(schema));

    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.setRowCount(0);
      assertThat(mapper.keySchema()).isNull();
      assertThat(mapper.key(root, 0)).isNull();
    }
  }

  @Test
  void shouldSanitizeSchemaNamesWhenTableAndColumnNamesAreNotAvroNames() {
    Field struct =
        new Field(
            "inner-struct",
            FieldType.nullable(ArrowType.Struct.INSTANCE),
            List.of(column("a", ArrowType.Bool.INSTANCE)));
    Field list =
        new Field(
            "items",
            FieldType.nullable(ArrowType.List.INSTANCE),
            List.of(
                new Field(
                    "item",
                    FieldType.nullable(ArrowType.Struct.INSTANCE),
                    List.of(column("b", ArrowType.Bool.INSTANCE)))));
    ArrowToConnect mapper =
        new ArrowToConnect(CqTable.fromSchema(table("1st-table.v2", struct, list)));

    assertThat(mapper.valueSchema().name()).isEqualTo("cq._1st_table_v2.Value");
    assertThat(mapper.valueSchema().field("inner_struct").schema().name())
        .isEqualTo("cq._1st_table_v2.Value.inner_struct");
    assertThat(mapper.valueSchema().field("items").schema().valueSchema().name())
        .isEqualTo("cq._1st_table_v2.Value.items_item");
  }

  @Test
  void shouldWriteRenamedColumnsAndStructChildrenBackUnderTheirArrowNames() {
    Field child = column("inner-value", ArrowType.Utf8.INSTANCE);
    Field struct =
        new Field("nested.struct", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(child));
    Schema schema =
        table(
            "t",
            column("key-id", new ArrowType.Int(64, true), true, PK),
            column("1st", ArrowType.Utf8.INSTANCE),
            struct);
    ArrowToConnect toConnect = new ArrowToConnect(CqTable.fromSchema(schema));

    assertThat(toConnect.valueSchema().fields())
        .extracting(f -> f.name())
        .containsExactly("key_id", "_1st", "nested_struct");
    assertThat(toConnect.keySchema().fields()).extracting(f -> f.name()).containsExactly("key_id");
    assertThat(toConnect.fieldName("key-id")).isEqualTo("key_id");
    assertThat(
            toConnect
                .valueSchema()
                .field("key_id")
                .schema()
                .parameters()
                .get(SchemaParameters.FIELD_NAME))
        .isEqualTo("key-id");

    Struct value;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      ((BigIntVector) root.getVector(0)).setSafe(0, 7);
      ((VarCharVector) root.getVector(1)).setSafe(0, "first".getBytes());
      StructVector nested = (StructVector) root.getVector(2);
      ((VarCharVector) nested.getChildByOrdinal(0)).setSafe(0, "deep".getBytes());
      nested.setIndexDefined(0);
      root.setRowCount(1);
      value = toConnect.value(root, 0);
    }
    assertThat(value.getStruct("nested_struct").getString("inner_value")).isEqualTo("deep");

    ConnectToArrow toArrow = new ConnectToArrow();
    Schema back = toArrow.arrowSchema("t", toConnect.valueSchema(), Set.of("key_id"));
    assertThat(back.getFields())
        .extracting(Field::getName)
        .containsExactly("key-id", "1st", "nested.struct");
    assertThat(back.getFields().get(2).getChildren())
        .extracting(Field::getName)
        .containsExactly("inner-value");
    assertThat(back.getFields().get(0).getMetadata())
        .containsEntry(CqMetadata.PRIMARY_KEY, "true")
        .doesNotContainKey(SchemaParameters.FIELD_NAME);
    try (VectorSchemaRoot root = toArrow.toArrow(back, List.of(value), allocator)) {
      assertThat(root.getVector("key-id").getObject(0)).isEqualTo(7L);
      assertThat(root.getVector("1st").getObject(0).toString()).isEqualTo("first");
      assertThat(root.getVector("nested.struct").getObject(0).toString()).contains("deep");
    }
  }

  @Test
  void shouldRecordArrowTypeAndMetadataInParametersWhenConnectTypeIsNotEnough() {
    Schema schema =
        table(
            "t",
            column("u64", new ArrowType.Int(64, false), false, Map.of("custom", "x")),
            column("ts_us", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
            column("ts_ns", new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC")),
            column("ts_naive", new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)),
            column("id", new ArrowType.Int(64, true), false, PK));
    org.apache.kafka.connect.data.Schema value =
        new ArrowToConnect(CqTable.fromSchema(schema)).valueSchema();

    org.apache.kafka.connect.data.Schema u64 = value.field("u64").schema();
    assertThat(u64.name()).isEqualTo(Decimal.LOGICAL_NAME);
    assertThat(u64.isOptional()).isFalse();
    assertThat(u64.parameters())
        .containsEntry(SchemaParameters.ARROW_TYPE, "uint64")
        .containsEntry(SchemaParameters.DECIMAL_SCALE, "0")
        .containsEntry(SchemaParameters.DECIMAL_PRECISION, "20")
        .containsEntry("arrow.metadata.custom", "x");
    assertThat(value.field("ts_us").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
    assertThat(value.field("ts_us").schema().parameters()).isNull();
    assertThat(value.field("ts_ns").schema().parameters())
        .containsEntry(SchemaParameters.ARROW_TYPE, "timestamp[ns, tz=UTC]");
    assertThat(value.field("ts_naive").schema().parameters())
        .containsEntry(SchemaParameters.ARROW_TYPE, "timestamp[ms]");
    assertThat(value.field("id").schema().parameters())
        .containsEntry(CqMetadata.PRIMARY_KEY, "true");
    assertThat(value.parameters()).containsEntry(CqMetadata.TABLE_NAME, "t");
  }

  private VectorSchemaRoot timestamps(Schema schema, long... values) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    root.allocateNew();
    for (int i = 0; i < values.length; i++) {
      ((TimeStampVector) root.getVector(0)).setSafe(i, values[i]);
    }
    root.setRowCount(values.length);
    return root;
  }

  @Test
  void shouldFloorSubMillisecondDigitsWhenTimestampsBecomeConnectTimestamps() {
    Schema schema =
        table(
            "t",
            column("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
            column("ns", new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC")));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(schema));

    try (VectorSchemaRoot root = timestamps(schema, 1_700_000_000_123_456L, -1L)) {
      ((TimeStampVector) root.getVector(1)).setSafe(0, 1_700_000_000_123_456_789L);
      ((TimeStampVector) root.getVector(1)).setSafe(1, -1L);

      assertThat(mapper.value(root, 0).get("ts")).isEqualTo(new java.util.Date(1_700_000_000_123L));
      assertThat(mapper.value(root, 0).get("ns")).isEqualTo(new java.util.Date(1_700_000_000_123L));
      assertThat(mapper.value(root, 1).get("ts")).isEqualTo(new java.util.Date(-1L));
      assertThat(mapper.value(root, 1).get("ns")).isEqualTo(new java.util.Date(-1L));
    }
  }

  @Test
  void shouldRoundTripUnknownExtensionByItsStorageType() {
    Map<String, String> ext =
        Map.of(CqMetadata.EXTENSION_NAME, "geometry", CqMetadata.EXTENSION_METADATA, "wkb");
    Schema schema = table("t", column("geom", ArrowType.Binary.INSTANCE, true, ext));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(schema));

    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      ((VarBinaryVector) root.getVector(0)).setSafe(0, new byte[] {1, 2});
      root.setRowCount(1);

      Struct value = mapper.value(root, 0);
      assertThat(value.getBytes("geom")).containsExactly(1, 2);
      assertThat(new ConnectToArrow().arrowSchema("t", mapper.valueSchema(), Set.of()))
          .isEqualTo(schema);
    }
  }

  @Test
  void shouldRejectUnsupportedTypeNamingTableColumnAndType() {
    assertThatThrownBy(
            () ->
                new ArrowToConnect(
                    CqTable.fromSchema(table("t1", column("n", ArrowType.Null.INSTANCE)))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Table 't1'")
        .hasMessageContaining("column 'n'")
        .hasMessageContaining("Null");
    assertThatThrownBy(
            () ->
                new ArrowToConnect(
                    CqTable.fromSchema(table("t2", column("v", ArrowType.Utf8View.INSTANCE)))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("column 'v'")
        .hasMessageContaining("Utf8View");
    Field union =
        new Field(
            "u",
            FieldType.nullable(new ArrowType.Union(UnionMode.Sparse, new int[] {0})),
            List.of(column("i", new ArrowType.Int(32, true))));
    Field nested = new Field("s", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(union));
    assertThatThrownBy(() -> new ArrowToConnect(CqTable.fromSchema(table("t3", nested))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Table 't3' column 's.u'")
        .hasMessageContaining("Union");
  }

  @Test
  void shouldRejectStructWithDuplicateFieldNames() {
    Field struct =
        new Field(
            "s",
            FieldType.nullable(ArrowType.Struct.INSTANCE),
            List.of(column("a", ArrowType.Bool.INSTANCE), column("a", ArrowType.Utf8.INSTANCE)));

    assertThatThrownBy(() -> new ArrowToConnect(CqTable.fromSchema(table("t", struct))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("column 's'");
  }

  @Test
  void shouldRejectRecordWhoseColumnsDifferFromTheTable() {
    Schema tableSchema =
        table("t", column("a", new ArrowType.Int(64, true)), column("b", ArrowType.Utf8.INSTANCE));
    Schema changed =
        table("t", column("a", new ArrowType.Int(32, true)), column("b", ArrowType.Utf8.INSTANCE));
    Schema fewer = table("t", column("a", new ArrowType.Int(64, true)));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(tableSchema));

    try (VectorSchemaRoot a = VectorSchemaRoot.create(changed, allocator);
        VectorSchemaRoot b = VectorSchemaRoot.create(fewer, allocator)) {
      a.setRowCount(0);
      b.setRowCount(0);
      assertThatThrownBy(() -> mapper.value(a, 0))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("column 0 is 'a' of type Int(32, true)")
          .hasMessageContaining("migrate_table");
      assertThatThrownBy(() -> mapper.value(b, 0))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("has 1 columns but the table schema has 2");
    }
  }

  @Test
  void shouldRejectNullInNotNullColumnNamingTheColumn() {
    Schema schema = table("t", column("id", new ArrowType.Int(64, true), false, null));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      ((BigIntVector) root.getVector(0)).setNull(0);
      root.setRowCount(1);

      assertThatThrownBy(() -> new ArrowToConnect(CqTable.fromSchema(schema)).value(root, 0))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("Table 't' column 'id' row 0");
    }
  }

  @Test
  void shouldFillStructsDirectlyWhenRunningOnThisKafkaVersion() {
    // The fast path is what makes decoding cheap; if Kafka renames Struct.values it silently
    // falls back to validating puts, and this test says so.
    assertThat(Structs.DEFAULT.fast()).isTrue();
  }

  @Test
  void shouldConvertManyRowsReusingPerColumnReaders() {
    Schema schema =
        table("t", column("n", new ArrowType.Int(64, true)), column("s", ArrowType.Utf8.INSTANCE));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(schema));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (int i = 0; i < 5000; i++) {
        ((BigIntVector) root.getVector(0)).setSafe(i, i);
        ((VarCharVector) root.getVector(1)).setSafe(i, ("v" + "x".repeat(i % 700)).getBytes());
      }
      root.setRowCount(5000);
      long sum = 0;
      Map<Integer, Integer> lengths = new HashMap<>();
      for (int i = 0; i < 5000; i++) {
        Struct v = mapper.value(root, i);
        sum += v.getInt64("n");
        lengths.put(i, v.getString("s").length());
      }
      assertThat(sum).isEqualTo(5000L * 4999 / 2);
      assertThat(lengths.get(699)).isEqualTo(700);
      assertThat(lengths.get(700)).isEqualTo(1);
    }
  }

  @Test
  void shouldReturnBigDecimalForUint64AboveLongMax() {
    assertThat(ValueReaders.unsigned64(-1L)).isEqualTo(new BigDecimal("18446744073709551615"));
    assertThat(ValueReaders.unsigned64(5L)).isEqualTo(BigDecimal.valueOf(5));
  }
}
