package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class CqTableTest {

  private static Field column(String name, Map<String, String> metadata) {
    return new Field(name, new FieldType(true, new ArrowType.Utf8(), null, metadata), null);
  }

  @Test
  void shouldReadNameParentPrimaryKeysAndIncrementalWhenMetadataPresent() {
    Schema schema =
        new Schema(
            List.of(
                column(CqMetadata.CQ_ID, Map.of(CqMetadata.PRIMARY_KEY, "false")),
                column("region", Map.of(CqMetadata.PRIMARY_KEY, "true")),
                column("updated", Map.of(CqMetadata.INCREMENTAL, "true")),
                column("id", Map.of(CqMetadata.PRIMARY_KEY, "true", CqMetadata.UNIQUE, "true"))),
            Map.of(
                CqMetadata.TABLE_NAME, "child_items",
                CqMetadata.TABLE_DEPENDS_ON, "items",
                CqMetadata.INCREMENTAL, "true"));

    CqTable table = CqTable.fromSchema(schema);

    assertThat(table.name()).isEqualTo("child_items");
    assertThat(table.parent()).isEqualTo("items");
    assertThat(table.incremental()).isTrue();
    assertThat(table.primaryKeys()).containsExactly("region", "id");
    assertThat(table.isPrimaryKey("id")).isTrue();
    assertThat(table.isPrimaryKey(CqMetadata.CQ_ID)).isFalse();
    assertThat(table.incrementalColumns()).containsExactly("updated");
    assertThat(table.isIncrementalColumn("updated")).isTrue();
    assertThat(table.isIncrementalColumn("id")).isFalse();
    assertThat(table.columns())
        .extracting(Field::getName)
        .containsExactly(CqMetadata.CQ_ID, "region", "updated", "id");
    assertThat(table.columnIndex("updated")).isEqualTo(2);
    assertThat(table.columnIndex("missing")).isEqualTo(-1);
    assertThat(table.schema()).isSameAs(schema);
    assertThat(table.metadata(CqMetadata.TABLE_DEPENDS_ON)).isEqualTo("items");
  }

  @Test
  void shouldTreatAbsentOrFalseFlagsAsFalseWhenMetadataMissing() {
    Schema schema =
        new Schema(
            List.of(
                column("a", null),
                column("b", Map.of(CqMetadata.PRIMARY_KEY, "TRUE")),
                column("c", Map.of(CqMetadata.INCREMENTAL, "false"))),
            Map.of(CqMetadata.TABLE_NAME, "plain", CqMetadata.TABLE_DEPENDS_ON, ""));

    CqTable table = CqTable.fromSchema(schema);

    assertThat(table.parent()).isNull();
    assertThat(table.incremental()).isFalse();
    assertThat(table.primaryKeys()).isEmpty();
    assertThat(table.incrementalColumns()).isEmpty();
  }

  @Test
  void shouldThrowDataExceptionWhenTableNameMissing() {
    Schema schema = new Schema(List.of(column("a", null)), Map.of("other", "x"));

    assertThatThrownBy(() -> CqTable.fromSchema(schema))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("cq:table_name")
        .hasMessageContaining("[a]");
  }

  @Test
  void shouldThrowDataExceptionWhenSchemaHasNoMetadataAtAll() {
    Schema schema = new Schema(List.of(column("a", null)));

    assertThatThrownBy(() -> CqTable.fromSchema(schema)).isInstanceOf(DataException.class);
  }
}
