package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.arrow.CqMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateTableSchemaTest {

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void noLeaks() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldBuildTheSchemaTheGoStateClientSends() {
    Schema s = StateTableSchema.schema("cq_state_x");

    assertThat(s.getFields()).extracting(Field::getName).containsExactly("key", "value", "version");
    assertThat(s.getFields())
        .extracting(Field::getType)
        .containsExactly(
            ArrowType.Utf8.INSTANCE, ArrowType.Utf8.INSTANCE, new ArrowType.Int(64, false));
    assertThat(s.getFields()).allMatch(Field::isNullable);
    assertThat(s.getFields())
        .extracting(f -> f.getMetadata().get(CqMetadata.PRIMARY_KEY))
        .containsExactly("true", "false", "false");
    assertThat(s.getCustomMetadata())
        .containsEntry(CqMetadata.TABLE_NAME, "cq_state_x")
        .containsEntry(CqMetadata.TABLE_PERMISSIONS_NEEDED, "null");
    assertThat(StateTableSchema.validate(s)).isEqualTo("cq_state_x");
  }

  @Test
  void shouldReadRowsByNameWhenADestinationAddsColumnsAndWidensTypes() {
    // What a destination may hand back: _cq_* columns first, large_utf8 text, int64 versions.
    Schema wide =
        new Schema(
            List.of(
                field("_cq_sync_time", new ArrowType.Int(64, true)),
                field("_cq_source_name", ArrowType.LargeUtf8.INSTANCE),
                field("key", ArrowType.LargeUtf8.INSTANCE),
                field("value", ArrowType.LargeUtf8.INSTANCE),
                field("version", new ArrowType.Int(64, true))),
            Map.of(CqMetadata.TABLE_NAME, "t"));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(wide, allocator)) {
      root.allocateNew();
      LargeVarCharVector key = (LargeVarCharVector) root.getVector("key");
      LargeVarCharVector value = (LargeVarCharVector) root.getVector("value");
      BigIntVector version = (BigIntVector) root.getVector("version");
      key.setSafe(0, bytes("a"));
      value.setSafe(0, bytes("1"));
      version.setSafe(0, 9);
      key.setSafe(1, bytes("b"));
      value.setNull(1);
      version.setNull(1);
      key.setNull(2);
      value.setSafe(2, bytes("orphan"));
      version.setSafe(2, 1);
      root.setRowCount(3);

      assertThat(StateTableSchema.rows(root))
          .containsExactly(new StateRow("a", "1", 9), new StateRow("b", null, 0));
    }
  }

  @Test
  void shouldRoundTripRowsThroughTheGoLayout() {
    long huge = Long.parseUnsignedLong("18446744073709551615");
    List<StateRow> rows = List.of(new StateRow("k", "v", huge), new StateRow("e", "", 0));
    try (VectorSchemaRoot root = StateTableSchema.toRoot("t", rows, allocator)) {
      assertThat(root.getVector(0)).isInstanceOf(VarCharVector.class);
      assertThat(StateTableSchema.rows(root)).isEqualTo(rows);
    }
  }

  @Test
  void shouldRejectRecordsWithoutTextKeyAndValue() {
    Schema bad =
        new Schema(
            List.of(
                field("key", new ArrowType.Int(64, true)),
                field("value", ArrowType.Utf8.INSTANCE)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(bad, allocator)) {
      assertThatThrownBy(() -> StateTableSchema.rows(root))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("utf8 columns 'key' and 'value'");
    }
  }

  private static Field field(String name, ArrowType type) {
    return new Field(name, FieldType.nullable(type), null);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
