package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.ExactTimestamp;
import io.cqconnect.config.SourceTaskConfig;
import io.cqconnect.plugin.proto.v3.Sync;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

/** The task's {@code timestamp.precision} reaches the records built from a plugin's inserts. */
class RecordBuilderTimestampTest {

  private static final long MICROS = 1_700_000_000_123_456L;

  private static final Schema EVENTS =
      new Schema(
          List.of(
              new Field(
                  "at",
                  new FieldType(
                      false,
                      new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"),
                      null,
                      Map.of(CqMetadata.PRIMARY_KEY, "true")),
                  null)),
          Map.of(CqMetadata.TABLE_NAME, "events"));

  @Test
  void shouldWriteMicrosecondCountsWhenTheTaskConfigAsksForExactTimestamps() {
    SyncRecord record = insertOneRow(Map.of("timestamp.precision", "exact"));

    assertThat(record.keySchema().field("at").schema().name())
        .isEqualTo(ExactTimestamp.LOGICAL_NAME);
    assertThat(((Struct) record.key()).getInt64("at")).isEqualTo(MICROS);
    assertThat(((Struct) record.value()).getInt64("at")).isEqualTo(MICROS);
  }

  @Test
  void shouldWriteConnectTimestampsWhenTheTaskConfigLeavesThePrecisionAtItsDefault() {
    SyncRecord record = insertOneRow(Map.of());

    assertThat(record.valueSchema().field("at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
    assertThat(((Struct) record.value()).get("at"))
        .isEqualTo(new java.util.Date(1_700_000_000_123L));
  }

  /**
   * Migrates and inserts {@link #EVENTS} with one row through a task configured by {@code extra}.
   */
  private static SyncRecord insertOneRow(Map<String, String> extra) {
    Map<String, String> props =
        new java.util.HashMap<>(Map.of("name", "src", "plugin.address", "127.0.0.1:7777"));
    props.putAll(extra);
    SyncSettings settings = SyncSettings.from(new SourceTaskConfig(props));
    try (RootAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(EVENTS, allocator)) {
      root.allocateNew();
      ((TimeStampVector) root.getVector(0)).setSafe(0, MICROS);
      root.setRowCount(1);
      RecordBuilder records =
          new RecordBuilder(
              settings.source(),
              new TopicNamer("", Map.of()),
              allocator.newChildAllocator("sync", 0, Long.MAX_VALUE),
              settings.timestampPrecision());
      try {
        records.migrate(
            Sync.MessageMigrateTable.newBuilder().setTable(ArrowIpc.schemaToBytes(EVENTS)).build());
        List<SyncRecord> out =
            records.insert(
                1,
                "2024-05-01T10:00:00.000000Z",
                Sync.MessageInsert.newBuilder().setRecord(ArrowIpc.recordToBytes(root)).build());
        assertThat(out).hasSize(1);
        assertThat(out.get(0).topic()).isEqualTo("events");
        return out.get(0);
      } finally {
        records.close();
      }
    }
  }
}
