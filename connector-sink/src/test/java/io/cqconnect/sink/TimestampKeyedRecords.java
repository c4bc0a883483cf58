package io.cqconnect.sink;

import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.arrow.TimestampMapping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Records of a table whose primary key is a CloudQuery timestamp ({@code ts} timestamp[us, UTC],
 * plus {@code name} utf8), converted from Arrow rows as the source connector converts them under a
 * given {@code timestamp.precision}.
 */
final class TimestampKeyedRecords {

  private static final Schema TABLE =
      new Schema(
          List.of(
              new Field(
                  "ts",
                  new FieldType(
                      false,
                      new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"),
                      null,
                      Map.of(CqMetadata.PRIMARY_KEY, CqMetadata.TRUE)),
                  null),
              new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)),
          Map.of(CqMetadata.TABLE_NAME, "stamps"));

  private final String topic;
  private final ArrowToConnect mapper;

  TimestampKeyedRecords(String topic, TimestampMapping precision) {
    this.topic = topic;
    this.mapper = new ArrowToConnect(CqTable.fromSchema(TABLE), precision);
  }

  /** The row ({@code micros} since the epoch, {@code name}) as the source connector sends it. */
  SinkRecord row(long offset, long micros, String name, Instant syncTime) {
    try (RootAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(TABLE, allocator)) {
      root.allocateNew();
      ((TimeStampVector) root.getVector(0)).setSafe(0, micros);
      ((VarCharVector) root.getVector(1)).setSafe(0, name.getBytes(StandardCharsets.UTF_8));
      root.setRowCount(1);
      return new SinkRecord(
          topic,
          0,
          mapper.keySchema(),
          mapper.key(root, 0),
          mapper.valueSchema(),
          mapper.value(root, 0),
          offset,
          null,
          TimestampType.NO_TIMESTAMP_TYPE,
          TestRecords.headers("stamps", "src", syncTime));
    }
  }
}
