package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.config.TimestampPrecision;
import io.cqconnect.plugin.SyncHeaders;
import io.cqconnect.plugin.proto.v3.Predicate;
import io.cqconnect.plugin.proto.v3.PredicatesGroup;
import io.cqconnect.plugin.proto.v3.Sync;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Schema.Type;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code record.format=arrow}: one record per plugin insert, carrying the insert's Arrow bytes. */
class RecordBuilderArrowTest {

  private static final String SYNC_TIME = "2026-01-01T00:00:00.000000Z";
  private final RootAllocator allocator = new RootAllocator();
  private final RecordBuilder builder =
      new RecordBuilder(
              "src", new TopicNamer("p.", Map.of()), allocator, TimestampPrecision.MILLISECONDS)
          .writingArrowBatches();

  @AfterEach
  void close() {
    builder.close();
  }

  @Test
  void shouldWriteOneKeylessBytesRecordPerInsertReadableAlone() {
    Schema items = RecordBuilderTest.table("items", null, false, "id");
    migrate(items);
    Sync.MessageInsert insert = insert(items, 4, 5, 6);

    List<SyncRecord> records = builder.insert(3, SYNC_TIME, insert);

    assertThat(records).hasSize(1);
    SyncRecord record = records.get(0);
    assertThat(record.topic()).isEqualTo("p.items");
    assertThat(record.kind()).isEqualTo(SyncRecord.Kind.DATA);
    assertThat(record.generation()).isEqualTo(3L);
    assertThat(record.rows()).isEqualTo(3);
    assertThat(record.key()).isNull();
    assertThat(record.keySchema()).isNull();
    assertThat(record.valueSchema().type()).isEqualTo(Type.BYTES);
    assertThat(record.valueSchema().isOptional()).isTrue();
    assertThat((byte[]) record.value()).isEqualTo(insert.getRecord().toByteArray());
    assertThat(header(record, SyncHeaders.TABLE)).isEqualTo("items");
    assertThat(header(record, SyncHeaders.SOURCE)).isEqualTo("src");
    assertThat(header(record, SyncHeaders.SYNC_TIME)).isEqualTo(SYNC_TIME);
    assertThat(header(record, SyncHeaders.FORMAT)).isEqualTo(SyncHeaders.ARROW_IPC);
    assertThat(header(record, SyncHeaders.ROWS)).isEqualTo(3);
    assertThat(record.headers().lastWithName(SyncHeaders.CONTROL)).isNull();

    // The bytes alone are the whole batch (ByteArrayConverter writes them as they are).
    try (VectorSchemaRoot read =
        ArrowIpc.recordFromBytes(ByteString.copyFrom((byte[]) record.value()), allocator)) {
      assertThat(read.getSchema()).isEqualTo(items);
      assertThat(read.getRowCount()).isEqualTo(3);
      assertThat(((BigIntVector) read.getVector("id")).get(2)).isEqualTo(6L);
    }
    // What README says of JsonConverter: the bytes become one base64 JSON string.
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "false"), false);
    String text =
        new String(
            json.fromConnectData("p.items", record.valueSchema(), record.value()),
            StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo("\"" + Base64.getEncoder().encodeToString((byte[]) record.value()) + "\"");
  }

  @Test
  void shouldCarryTheBatchUnderTheAnnouncedSchemaWhenInsertsFlagOtherKeys() {
    // deterministic_cq_id: the Go SDK announces _cq_id as the only key, its inserts flag "id".
    Schema announced = RecordBuilderTest.table("items", null, false, "_cq_id");
    migrate(announced);
    Sync.MessageInsert insert = insert(RecordBuilderTest.table("items", null, false, "id"), 7, 8);

    byte[] value = (byte[]) builder.insert(1, SYNC_TIME, insert).get(0).value();
    byte[] again = (byte[]) builder.insert(1, SYNC_TIME, insert).get(0).value();

    try (VectorSchemaRoot read = ArrowIpc.recordFromBytes(ByteString.copyFrom(value), allocator)) {
      assertThat(read.getSchema()).isEqualTo(announced);
      assertThat(read.getRowCount()).isEqualTo(2);
      assertThat(((BigIntVector) read.getVector("id")).get(1)).isEqualTo(8L);
      assertThat(((BigIntVector) read.getVector("_cq_id")).get(1)).isEqualTo(800L);
    }
    assertThat(again).as("the cached schema, same bytes").isEqualTo(value);
  }

  @Test
  void shouldForwardKeyDeletesAsDeleteRecordsBecauseBatchesHaveNoConnectKeys() {
    migrate(RecordBuilderTest.table("items", null, false, "id"));
    Sync.MessageDeleteRecord delete =
        Sync.MessageDeleteRecord.newBuilder()
            .setTableName("items")
            .addWhereClause(
                PredicatesGroup.newBuilder()
                    .setGroupingType(PredicatesGroup.GroupingType.AND)
                    .addPredicates(
                        Predicate.newBuilder()
                            .setOperator(Predicate.Operator.EQ)
                            .setColumn("id")
                            .setRecord(
                                insert(RecordBuilderTest.table("items", null, false, "id"), 5)
                                    .getRecord())))
            .build();

    List<SyncRecord> records = builder.delete(1, SYNC_TIME, delete);

    assertThat(records).hasSize(1);
    SyncRecord control = records.get(0);
    assertThat(control.value()).isNull();
    assertThat(control.key())
        .isEqualTo(ControlKeys.deleteRecord("items", "src", delete.toByteArray()));
    assertThat(header(control, SyncHeaders.CONTROL)).isEqualTo(SyncHeaders.DELETE_RECORD);
  }

  @Test
  void shouldWriteNothingForAnEmptyInsert() {
    Schema items = RecordBuilderTest.table("items", null, false, "id");
    migrate(items);
    assertThat(builder.insert(1, SYNC_TIME, insert(items))).isEmpty();
  }

  private static Object header(SyncRecord record, String name) {
    return record.headers().lastWithName(name).value();
  }

  private void migrate(Schema schema) {
    builder.migrate(
        Sync.MessageMigrateTable.newBuilder().setTable(ArrowIpc.schemaToBytes(schema)).build());
  }

  private Sync.MessageInsert insert(Schema schema, long... ids) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.getFieldVectors().forEach(v -> v.allocateNew());
      for (int i = 0; i < ids.length; i++) {
        ((BigIntVector) root.getVector("id")).setSafe(i, ids[i]);
        ((BigIntVector) root.getVector("_cq_id")).setSafe(i, ids[i] * 100);
      }
      root.setRowCount(ids.length);
      return Sync.MessageInsert.newBuilder().setRecord(ArrowIpc.recordToBytes(root)).build();
    }
  }
}
