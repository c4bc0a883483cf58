package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.proto.v3.Predicate;
import io.cqconnect.plugin.proto.v3.PredicatesGroup;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeletePredicatesTest {

  private final RootAllocator allocator = new RootAllocator();
  private final DeletePredicates deletes = new DeletePredicates(new ConnectToArrow(), allocator);

  @AfterEach
  void close() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldTypeAUuidKeyAsTheUuidExtensionWhenTheTableHasNoOtherKey() {
    Schema table =
        new Schema(
            List.of(
                new Field(
                    "_cq_id",
                    new FieldType(
                        false,
                        new ArrowType.FixedSizeBinary(16),
                        null,
                        Map.of(
                            CqMetadata.EXTENSION_NAME, CqMetadata.EXT_UUID,
                            CqMetadata.EXTENSION_METADATA, CqMetadata.EXT_UUID_METADATA,
                            CqMetadata.PRIMARY_KEY, "true")),
                    null),
                new Field("v", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)),
            Map.of(CqMetadata.TABLE_NAME, "nokey"));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(table));
    UUID id = UUID.fromString("0b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3");
    Struct key = new Struct(mapper.keySchema()).put("_cq_id", id.toString());
    SinkRecord tombstone = new SinkRecord("nokey", 0, mapper.keySchema(), key, null, null, 1);

    Predicate predicate =
        deletes
            .forTombstone("nokey", tombstone)
            .request()
            .getDeleteRecord()
            .getWhereClause(0)
            .getPredicates(0);

    try (VectorSchemaRoot root = ArrowIpc.recordFromBytes(predicate.getRecord(), allocator)) {
      Field field = root.getSchema().getFields().get(0);
      assertThat(field.getName()).isEqualTo("_cq_id");
      assertThat(field.getType()).isEqualTo(new ArrowType.FixedSizeBinary(16));
      assertThat(field.getMetadata()).containsEntry(CqMetadata.EXTENSION_NAME, CqMetadata.EXT_UUID);
      ByteBuffer bytes = ByteBuffer.wrap(((FixedSizeBinaryVector) root.getVector(0)).get(0));
      assertThat(new UUID(bytes.getLong(), bytes.getLong())).isEqualTo(id);
    }
  }

  @Test
  void shouldAndOnePredicatePerKeyFieldWhenTheKeyIsComposite() {
    Schema table =
        new Schema(
            List.of(
                new Field(
                    "tenant",
                    new FieldType(
                        false,
                        ArrowType.Utf8.INSTANCE,
                        null,
                        Map.of(CqMetadata.PRIMARY_KEY, "true")),
                    null),
                new Field(
                    "n",
                    new FieldType(
                        false,
                        new ArrowType.Int(32, true),
                        null,
                        Map.of(CqMetadata.PRIMARY_KEY, "true")),
                    null)),
            Map.of(CqMetadata.TABLE_NAME, "pairs"));
    ArrowToConnect mapper = new ArrowToConnect(CqTable.fromSchema(table));
    Struct key = new Struct(mapper.keySchema()).put("tenant", "acme").put("n", 7);

    PredicatesGroup group =
        deletes
            .forTombstone(
                "pairs", new SinkRecord("pairs", 0, mapper.keySchema(), key, null, null, 1))
            .request()
            .getDeleteRecord()
            .getWhereClause(0);

    assertThat(group.getGroupingType()).isEqualTo(PredicatesGroup.GroupingType.AND);
    assertThat(group.getPredicatesList())
        .extracting(Predicate::getColumn)
        .containsExactly("tenant", "n");
    assertThat(group.getPredicatesList())
        .extracting(Predicate::getOperator)
        .containsOnly(Predicate.Operator.EQ);
    try (VectorSchemaRoot root =
        ArrowIpc.recordFromBytes(group.getPredicates(0).getRecord(), allocator)) {
      assertThat(new String(((VarCharVector) root.getVector(0)).get(0))).isEqualTo("acme");
    }
  }

  @Test
  void shouldRejectATombstoneWhoseKeyIsNotAStruct() {
    SinkRecord tombstone =
        new SinkRecord(
            "t", 3, org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "k", null, null, 12);

    assertThatThrownBy(() -> deletes.forTombstone("t", tombstone))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 't' partition 3 offset 12")
        .hasMessageContaining("STRUCT key");
  }
}
