package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.config.PkMode;
import io.cqconnect.config.WriteMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class TableShapesTest {

  private final TestRecords items = new TestRecords("items", "items");

  private TableShape shape(WriteMode write, PkMode pk) {
    return new TableShapes(write, pk, new ConnectToArrow())
        .shapeFor("dest_items", items.mapper.valueSchema(), items.mapper.keySchema());
  }

  private static List<String> primaryKeys(TableShape shape) {
    List<String> keys = new ArrayList<>();
    for (Field f : shape.schema().getFields()) {
      if (f.getMetadata() != null
          && CqMetadata.isTrue(f.getMetadata().get(CqMetadata.PRIMARY_KEY))) {
        keys.add(f.getName());
      }
    }
    return keys;
  }

  private static boolean anyUnique(TableShape shape) {
    return shape.schema().getFields().stream()
        .anyMatch(
            f ->
                f.getMetadata() != null
                    && CqMetadata.isTrue(f.getMetadata().get(CqMetadata.UNIQUE)));
  }

  @Test
  void shouldPrependSyncTimeThenSourceNameAndNameTheTableWhenTheSchemaLacksThem() {
    TableShape shape = shape(WriteMode.OVERWRITE, PkMode.DEFAULT);

    assertThat(shape.schema().getFields())
        .extracting(Field::getName)
        .containsExactly("_cq_sync_time", "_cq_source_name", "_cq_id", "id", "name", "amount");
    assertThat(shape.schema().getFields().get(0).getType())
        .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
    assertThat(shape.schema().getFields().get(1).getType()).isEqualTo(ArrowType.Utf8.INSTANCE);
    assertThat(shape.syncTimeColumn()).isZero();
    assertThat(shape.sourceNameColumn()).isEqualTo(1);
    assertThat(shape.schema().getCustomMetadata())
        .containsEntry(CqMetadata.TABLE_NAME, "dest_items");
  }

  @Test
  void shouldStripPrimaryKeyAndUniqueFlagsWhenAppending() {
    TableShape shape = shape(WriteMode.APPEND, PkMode.DEFAULT);

    assertThat(primaryKeys(shape)).isEmpty();
    assertThat(anyUnique(shape)).isFalse();
  }

  @Test
  void shouldKeepTheSourcePrimaryKeyWhenOverwriting() {
    assertThat(primaryKeys(shape(WriteMode.OVERWRITE, PkMode.DEFAULT))).containsExactly("id");
    assertThat(primaryKeys(shape(WriteMode.OVERWRITE_DELETE_STALE, PkMode.DEFAULT)))
        .containsExactly("id");
  }

  @Test
  void shouldMakeCqIdTheOnlyPrimaryKeyWhenPkModeIsCqIdOnly() {
    assertThat(primaryKeys(shape(WriteMode.OVERWRITE, PkMode.CQ_ID_ONLY)))
        .containsExactly("_cq_id");
    assertThat(primaryKeys(shape(WriteMode.APPEND, PkMode.CQ_ID_ONLY))).isEmpty();
  }

  @Test
  void shouldTakeThePrimaryKeyFromTheRecordKeyWhenTheValueSchemaFlagsNone() {
    Schema value =
        SchemaBuilder.struct()
            .field("tenant", Schema.STRING_SCHEMA)
            .field("n", Schema.INT64_SCHEMA)
            .field("v", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Schema key =
        SchemaBuilder.struct()
            .field("tenant", Schema.STRING_SCHEMA)
            .field("n", Schema.INT64_SCHEMA)
            .build();

    TableShape shape =
        new TableShapes(WriteMode.OVERWRITE, PkMode.DEFAULT, new ConnectToArrow())
            .shapeFor("t", value, key);

    assertThat(primaryKeys(shape)).containsExactly("tenant", "n");
  }

  @Test
  void shouldNotAddCliColumnsWhenTheRecordsCarryThem() {
    Schema value =
        SchemaBuilder.struct()
            .field("_cq_source_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("x", Schema.INT32_SCHEMA)
            .build();

    TableShape shape =
        new TableShapes(WriteMode.APPEND, PkMode.DEFAULT, new ConnectToArrow())
            .shapeFor("t", value, null);

    assertThat(shape.schema().getFields())
        .extracting(Field::getName)
        .containsExactly("_cq_sync_time", "_cq_source_name", "x");
    assertThat(shape.sourceNameColumn()).isEqualTo(-1);
    assertThat(shape.syncTimeColumn()).isZero();
  }

  @Test
  void shouldRejectCqIdOnlyWhenTheRecordsHaveNoCqId() {
    Schema value = SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build();
    TableShapes shapes =
        new TableShapes(WriteMode.OVERWRITE, PkMode.CQ_ID_ONLY, new ConnectToArrow());

    assertThatThrownBy(() -> shapes.shapeFor("t", value, null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("pk.mode=cq-id-only")
        .hasMessageContaining("'t'");
  }

  @Test
  void shouldReuseOneShapeForEqualSchemasSoTheConverterCacheHits() {
    TableShapes shapes = new TableShapes(WriteMode.OVERWRITE, PkMode.DEFAULT, new ConnectToArrow());
    TestRecords again = new TestRecords("items", "items");

    TableShape first =
        shapes.shapeFor("items", items.mapper.valueSchema(), items.mapper.keySchema());
    TableShape second =
        shapes.shapeFor("items", again.mapper.valueSchema(), again.mapper.keySchema());
    TableShape wider =
        shapes.shapeFor(
            "items", new TestRecords("items", "items", "note").mapper.valueSchema(), null);

    assertThat(second).isSameAs(first);
    assertThat(wider).isNotSameAs(first);
    assertThat(wider.sameSchema(first)).isFalse();
  }
}
