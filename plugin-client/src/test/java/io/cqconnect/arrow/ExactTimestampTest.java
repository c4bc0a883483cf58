package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compare.VectorEqualsVisitor;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code timestamp.precision=exact}: Arrow timestamps of every unit and zone, top-level and nested,
 * go through IPC to Connect as {@link ExactTimestamp} counts and back to the same Arrow type and
 * the same values, digit for digit.
 */
class ExactTimestampTest {

  private static final Map<String, String> PK = Map.of(CqMetadata.PRIMARY_KEY, "true");

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

  /** A count per unit with digits in every position its unit has: 2023-11-14T22:13:20.123456789. */
  private static long count(TimeUnit unit) {
    switch (unit) {
      case SECOND:
        return 1_700_000_000L;
      case MILLISECOND:
        return 1_700_000_000_123L;
      case MICROSECOND:
        return 1_700_000_000_123_456L;
      default:
        return 1_700_000_000_123_456_789L;
    }
  }

  static Stream<Arguments> unitsAndZones() {
    List<Arguments> out = new ArrayList<>();
    for (TimeUnit unit : TimeUnit.values()) {
      for (String zone : new String[] {"UTC", null, "America/New_York"}) {
        out.add(Arguments.of(unit, zone));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "timestamp[{0}, {1}]")
  @MethodSource("unitsAndZones")
  void shouldGiveBackTheSameUnitZoneAndCountWhenATimestampKeyRoundTrips(
      TimeUnit unit, String zone) {
    ArrowType type = new ArrowType.Timestamp(unit, zone);
    Schema schema =
        table(
            new Field("ts", new FieldType(false, type, null, PK), null),
            TypeCases.nullable("seen", type));
    long exact = count(unit);

    try (VectorSchemaRoot decoded = ipc(schema, exact, exact + 1, -1L)) {
      ((TimeStampVector) decoded.getVector(1)).setNull(2);
      ArrowToConnect mapper =
          new ArrowToConnect(CqTable.fromSchema(schema), TimestampMapping.EXACT);

      org.apache.kafka.connect.data.Schema ts = mapper.valueSchema().field("ts").schema();
      assertThat(ts.type()).isEqualTo(org.apache.kafka.connect.data.Schema.Type.INT64);
      assertThat(ts.name()).isEqualTo("io.cqconnect.data.Timestamp");
      assertThat(ts.version()).isEqualTo(1);
      assertThat(ts.parameters())
          .containsEntry(
              SchemaParameters.ARROW_TYPE, ArrowTypeNames.timestamp((ArrowType.Timestamp) type));
      assertThat(mapper.keySchema().field("ts").schema()).isEqualTo(ts);
      List<Struct> values = new ArrayList<>();
      for (int row = 0; row < 3; row++) {
        Struct value = mapper.value(decoded, row);
        value.validate();
        values.add(value);
      }
      assertThat(values.get(0).getInt64("ts")).isEqualTo(exact);
      assertThat(values.get(1).getInt64("ts")).isEqualTo(exact + 1);
      assertThat(values.get(2).getInt64("ts")).isEqualTo(-1L);
      assertThat(values.get(2).get("seen")).isNull();
      assertThat(mapper.key(decoded, 1).getInt64("ts")).isEqualTo(exact + 1);

      ConnectToArrow back = new ConnectToArrow();
      Schema backSchema = back.arrowSchema("t", mapper.valueSchema(), Set.of("ts"));
      assertThat(backSchema).isEqualTo(schema);
      try (VectorSchemaRoot rebuilt = back.toArrow(backSchema, values, allocator)) {
        assertThat(((TimeStampVector) rebuilt.getVector(0)).get(0)).isEqualTo(exact);
        for (int c = 0; c < 2; c++) {
          assertThat(VectorEqualsVisitor.vectorEquals(decoded.getVector(c), rebuilt.getVector(c)))
              .as("column %d: %s", c, rebuilt.contentToTSVString())
              .isTrue();
        }
      }
    }
  }

  @Test
  void shouldKeepTwoKeysApartOnlyWhenExactWhenTheyDifferByOneMicrosecond() {
    ArrowType us = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    Schema schema = table(new Field("ts", new FieldType(false, us, null, PK), null));
    CqTable table = CqTable.fromSchema(schema);

    try (VectorSchemaRoot decoded = ipc(schema, 1_700_000_000_123_456L, 1_700_000_000_123_457L)) {
      for (TimestampMapping precision : TimestampMapping.values()) {
        ArrowToConnect mapper = new ArrowToConnect(table, precision);
        List<Struct> values = List.of(mapper.value(decoded, 0), mapper.value(decoded, 1));
        ConnectToArrow back = new ConnectToArrow();
        Schema backSchema = back.arrowSchema("t", mapper.valueSchema(), Set.of("ts"));
        assertThat(backSchema).as("%s", precision).isEqualTo(schema);
        try (VectorSchemaRoot rebuilt = back.toArrow(backSchema, values, allocator)) {
          TimeStampVector ts = (TimeStampVector) rebuilt.getVector(0);
          if (precision == TimestampMapping.EXACT) {
            assertThat(List.of(ts.get(0), ts.get(1)))
                .containsExactly(1_700_000_000_123_456L, 1_700_000_000_123_457L);
          } else {
            assertThat(mapper.valueSchema().field("ts").schema().name())
                .isEqualTo(Timestamp.LOGICAL_NAME);
            assertThat(List.of(ts.get(0), ts.get(1)))
                .containsExactly(1_700_000_000_123_000L, 1_700_000_000_123_000L);
          }
        }
      }
    }
  }

  @Test
  void shouldKeepTimestampsExactWhenNestedInAListAStructAndAMap() {
    ArrowType us = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    ArrowType ns = new ArrowType.Timestamp(TimeUnit.NANOSECOND, null);
    Schema schema =
        table(
            TypeCases.nullable("list", ArrowType.List.INSTANCE, TypeCases.nullable("item", us)),
            TypeCases.nullable(
                "struct",
                ArrowType.Struct.INSTANCE,
                TypeCases.nullable("at", ns),
                TypeCases.nullable("label", ArrowType.Utf8.INSTANCE)),
            TypeCases.mapField("map", ArrowType.Utf8.INSTANCE, us));
    long micros = 1_700_000_000_123_456L;
    long nanos = 1_700_000_000_123_456_789L;

    try (VectorSchemaRoot original = VectorSchemaRoot.create(schema, allocator)) {
      original.allocateNew();
      ListVector list = (ListVector) original.getVector(0);
      TimeStampVector items = (TimeStampVector) list.getDataVector();
      int start = list.startNewValue(0);
      items.setSafe(start, micros);
      items.setNull(start + 1);
      items.setSafe(start + 2, -1L);
      list.endValue(0, 3);
      StructVector struct = (StructVector) original.getVector(1);
      struct.setIndexDefined(0);
      ((TimeStampVector) struct.getChildByOrdinal(0)).setSafe(0, nanos);
      ((VarCharVector) struct.getChildByOrdinal(1)).setSafe(0, TypeCases.utf8("x"));
      MapVector map = (MapVector) original.getVector(2);
      StructVector entries = (StructVector) map.getDataVector();
      start = map.startNewValue(0);
      entries.setIndexDefined(start);
      ((VarCharVector) entries.getChildByOrdinal(0)).setSafe(start, TypeCases.utf8("k"));
      ((TimeStampVector) entries.getChildByOrdinal(1)).setSafe(start, micros + 1);
      map.endValue(0, 1);
      original.setRowCount(1);

      try (VectorSchemaRoot decoded =
          ArrowIpc.recordFromBytes(ArrowIpc.recordToBytes(original), allocator)) {
        ArrowToConnect mapper =
            new ArrowToConnect(CqTable.fromSchema(decoded.getSchema()), TimestampMapping.EXACT);
        org.apache.kafka.connect.data.Schema value = mapper.valueSchema();
        assertThat(value.field("list").schema().valueSchema().name())
            .isEqualTo(ExactTimestamp.LOGICAL_NAME);
        assertThat(value.field("struct").schema().field("at").schema().parameters())
            .containsEntry(SchemaParameters.ARROW_TYPE, "timestamp[ns]");
        assertThat(value.field("map").schema().valueSchema().name())
            .isEqualTo(ExactTimestamp.LOGICAL_NAME);

        Struct row = mapper.value(decoded, 0);
        row.validate();
        assertThat(row.getArray("list")).isEqualTo(Arrays.asList(micros, null, -1L));
        assertThat(row.getStruct("struct").getInt64("at")).isEqualTo(nanos);
        assertThat(row.getMap("map")).isEqualTo(Map.of("k", micros + 1));

        ConnectToArrow back = new ConnectToArrow();
        Schema backSchema = back.arrowSchema("t", value, Set.of());
        assertThat(backSchema).isEqualTo(schema);
        try (VectorSchemaRoot rebuilt = back.toArrow(backSchema, List.of(row), allocator)) {
          for (int c = 0; c < 3; c++) {
            assertThat(
                    VectorEqualsVisitor.vectorEquals(original.getVector(c), rebuilt.getVector(c)))
                .as(
                    "column %s: %s",
                    schema.getFields().get(c).getName(), rebuilt.contentToTSVString())
                .isTrue();
          }
        }
      }
    }
  }

  @Test
  void shouldRefuseAnExactTimestampWhoseUnitIsMissingOrNotATimestamp() {
    ConnectToArrow back = new ConnectToArrow();
    org.apache.kafka.connect.data.Schema noUnit =
        SchemaBuilder.struct()
            .field("ts", SchemaBuilder.int64().name(ExactTimestamp.LOGICAL_NAME).build())
            .build();
    org.apache.kafka.connect.data.Schema notATimestamp =
        SchemaBuilder.struct()
            .field(
                "ts",
                SchemaBuilder.int64()
                    .name(ExactTimestamp.LOGICAL_NAME)
                    .parameter(SchemaParameters.ARROW_TYPE, "duration[us]")
                    .build())
            .build();

    assertThatThrownBy(() -> back.arrowSchema("events", noUnit, Set.of()))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Table 'events' column 'ts'")
        .hasMessageContaining("cq.arrow.type to name the Arrow timestamp type")
        .hasMessageContaining("but it is missing");
    assertThatThrownBy(() -> back.arrowSchema("events", notATimestamp, Set.of()))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("but it is 'duration[us]'");
  }

  private static Schema table(Field... fields) {
    return new Schema(List.of(fields), Map.of(CqMetadata.TABLE_NAME, "t"));
  }

  /** A root with {@code counts} in every column, sent through Arrow IPC as a plugin sends it. */
  private VectorSchemaRoot ipc(Schema schema, long... counts) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (int c = 0; c < schema.getFields().size(); c++) {
        for (int row = 0; row < counts.length; row++) {
          ((TimeStampVector) root.getVector(c)).setSafe(row, counts[row]);
        }
      }
      root.setRowCount(counts.length);
      return ArrowIpc.recordFromBytes(ArrowIpc.recordToBytes(root), allocator);
    }
  }
}
