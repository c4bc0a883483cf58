package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.config.TimestampPrecision;
import io.cqconnect.plugin.SyncHeaders;
import io.cqconnect.plugin.proto.v3.Predicate;
import io.cqconnect.plugin.proto.v3.PredicatesGroup;
import io.cqconnect.plugin.proto.v3.Sync;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CLI's rules the record builder applies: which tables get delete-stale, that the announced
 * table decides keys, and how plugin deletes travel (tombstones or forwarded control records).
 */
class RecordBuilderTest {

  private static final String SYNC_TIME = "2026-01-01T00:00:00.000000Z";
  private final RootAllocator allocator = new RootAllocator();
  private final RecordBuilder builder =
      new RecordBuilder(
          "src", new TopicNamer("p.", Map.of()), allocator, TimestampPrecision.MILLISECONDS);

  @AfterEach
  void close() {
    builder.close();
  }

  @Test
  void shouldSkipDeleteStaleForIncrementalTablesAndTheirDescendantsOnlyWithState() {
    migrate(table("events", null, true, "id"));
    migrate(table("event_details", "events", false, "id"));
    migrate(table("event_detail_parts", "event_details", false, "id"));
    migrate(table("users", null, false, "id"));

    assertThat(builder.deleteStale("events", true)).isFalse();
    assertThat(builder.deleteStale("event_details", true)).isFalse();
    assertThat(builder.deleteStale("event_detail_parts", true)).isFalse();
    assertThat(builder.deleteStale("users", true)).isTrue();
    assertThat(builder.deleteStale("events", false)).isTrue();
    assertThat(builder.deleteStale("event_detail_parts", false)).isTrue();
  }

  @Test
  void shouldKeyRecordsByTheAnnouncedKeysWhenInsertsFlagOthers() {
    // deterministic_cq_id: the Go SDK announces _cq_id as the only key, its inserts flag "id".
    migrate(table("items", null, false, "_cq_id"));
    List<SyncRecord> records =
        builder.insert(1, SYNC_TIME, insert(table("items", null, false, "id"), 7));

    assertThat(records).hasSize(1);
    Struct key = (Struct) records.get(0).key();
    assertThat(key.schema().fields()).extracting(f -> f.name()).containsExactly("_cq_id");
    assertThat(builder.announced("items")).isTrue();
  }

  @Test
  void shouldTurnKeyEqualityDeletesIntoTombstonesAndForwardOthers() throws Exception {
    migrate(table("items", null, false, "id"));

    List<SyncRecord> tombstones =
        builder.delete(1, SYNC_TIME, delete("items", PredicatesGroup.GroupingType.AND, 5));
    assertThat(tombstones).hasSize(1);
    assertThat(tombstones.get(0).value()).isNull();
    assertThat(((Struct) tombstones.get(0).key()).get("id")).isEqualTo(5L);

    Sync.MessageDeleteRecord orGroup = delete("items", PredicatesGroup.GroupingType.OR, 5, 6);
    List<SyncRecord> forwarded = builder.delete(1, SYNC_TIME, orGroup);
    assertThat(forwarded).hasSize(1);
    SyncRecord control = forwarded.get(0);
    assertThat(control.key())
        .as("a key, so that a compacted topic accepts it; the same delete keeps one copy")
        .isEqualTo(ControlKeys.deleteRecord("items", "src", orGroup.toByteArray()))
        .asString()
        .startsWith("cq.delete-record/src/items/")
        .hasSize("cq.delete-record/src/items/".length() + 32);
    assertThat(control.value()).isNull();
    assertThat(control.topic()).isEqualTo("p.items");
    assertThat(control.headers().lastWithName(SyncHeaders.CONTROL).value())
        .isEqualTo(SyncHeaders.DELETE_RECORD);
    byte[] carried =
        Base64.getDecoder()
            .decode((String) control.headers().lastWithName(SyncHeaders.DELETE).value());
    assertThat(Sync.MessageDeleteRecord.parseFrom(carried)).isEqualTo(orGroup);
  }

  @Test
  void shouldWriteRowsOfAnUndeclaredTableButGiveItNoMarker() {
    // The CLI writes such rows and leaves the table out of delete-stale.
    migrate(table("items", "", false, "id"));
    List<SyncRecord> rows =
        builder.insert(1, SYNC_TIME, insert(table("surprise", null, false, "id"), 1));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).topic()).isEqualTo("p.surprise");
    assertThat(builder.announced("surprise")).isFalse();

    CommitRecords commits = new CommitRecords("src", "", "p.cq_state", 0, true, java.util.Set.of());
    List<SyncRecord> markers =
        commits.forSync(
            new SyncEvent.Ended(
                1,
                java.time.Instant.parse("2026-01-01T00:00:00Z"),
                new java.util.LinkedHashSet<>(List.of("items", "surprise")),
                List.of()),
            builder);
    assertThat(markers).extracting(SyncRecord::topic).containsExactly("p.items");
    SyncRecord marker = markers.get(0);
    assertThat(marker.key()).isEqualTo("cq.sync-end/src/items");
    assertThat(marker.keySchema()).isEqualTo(org.apache.kafka.connect.data.Schema.STRING_SCHEMA);
    assertThat(marker.headers().lastWithName(SyncHeaders.DELETE_STALE).value()).isEqualTo(true);
    assertThat(marker.headers().lastWithName(SyncHeaders.SOURCE).value()).isEqualTo("src");
    assertThat(
            ArrowIpc.schemaFromBytes(
                com.google.protobuf.ByteString.copyFrom(
                    Base64.getDecoder()
                        .decode(
                            (String) marker.headers().lastWithName(SyncHeaders.SCHEMA).value()))))
        .isEqualTo(table("items", "", false, "id"));
  }

  @Test
  void shouldFollowTheAnnouncedTableWhenAnInsertSchemaSeenBeforeComesAfterARemigration() {
    Schema inserts = table("items", null, false, "id");
    migrate(table("items", null, false, "id"));
    Struct first = (Struct) builder.insert(1, SYNC_TIME, insert(inserts, 1)).get(0).key();
    Struct again = (Struct) builder.insert(1, SYNC_TIME, insert(inserts, 2)).get(0).key();
    assertThat(first.schema().fields()).extracting(f -> f.name()).containsExactly("id");
    assertThat(again.schema()).as("the cached conversion").isSameAs(first.schema());
    assertThat(again.getInt64("id")).isEqualTo(2L);

    // The plugin announces the table again, now keyed on _cq_id; its inserts do not change.
    migrate(table("items", null, false, "_cq_id"));
    List<SyncRecord> after = builder.insert(2, SYNC_TIME, insert(inserts, 3));
    Struct key = (Struct) after.get(0).key();
    assertThat(key.schema().fields()).extracting(f -> f.name()).containsExactly("_cq_id");
    assertThat(key.getInt64("_cq_id")).isEqualTo(300L);
    assertThat(((Struct) after.get(0).value()).getInt64("id")).isEqualTo(3L);
    assertThat(after.get(0).generation()).isEqualTo(2L);
  }

  private void migrate(Schema schema) {
    builder.migrate(
        Sync.MessageMigrateTable.newBuilder().setTable(ArrowIpc.schemaToBytes(schema)).build());
  }

  private Sync.MessageInsert insert(Schema schema, long id) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.getFieldVectors().forEach(v -> v.allocateNew());
      ((BigIntVector) root.getVector("id")).setSafe(0, id);
      ((BigIntVector) root.getVector("_cq_id")).setSafe(0, id * 100);
      root.setRowCount(1);
      return Sync.MessageInsert.newBuilder().setRecord(ArrowIpc.recordToBytes(root)).build();
    }
  }

  private Sync.MessageDeleteRecord delete(
      String table, PredicatesGroup.GroupingType grouping, long... ids) {
    PredicatesGroup.Builder group = PredicatesGroup.newBuilder().setGroupingType(grouping);
    Schema idOnly =
        new Schema(List.of(new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null)));
    for (long id : ids) {
      try (VectorSchemaRoot root = VectorSchemaRoot.create(idOnly, allocator)) {
        ((BigIntVector) root.getVector(0)).setSafe(0, id);
        root.setRowCount(1);
        group.addPredicates(
            Predicate.newBuilder()
                .setOperator(Predicate.Operator.EQ)
                .setColumn("id")
                .setRecord(ArrowIpc.recordToBytes(root)));
      }
    }
    return Sync.MessageDeleteRecord.newBuilder().setTableName(table).addWhereClause(group).build();
  }

  /** A table with int64 columns {@code _cq_id} and {@code id}; {@code key} is the primary key. */
  static Schema table(String name, String parent, boolean incremental, String key) {
    List<Field> fields = new ArrayList<>();
    for (String column : List.of("_cq_id", "id")) {
      Map<String, String> m = new HashMap<>();
      m.put(CqMetadata.PRIMARY_KEY, Boolean.toString(column.equals(key)));
      fields.add(
          new Field(column, new FieldType(false, new ArrowType.Int(64, true), null, m), null));
    }
    Map<String, String> metadata = new HashMap<>();
    metadata.put(CqMetadata.TABLE_NAME, name);
    if (parent != null) {
      metadata.put(CqMetadata.TABLE_DEPENDS_ON, parent);
    }
    if (incremental) {
      metadata.put(CqMetadata.INCREMENTAL, "true");
    }
    return new Schema(fields, metadata);
  }
}
