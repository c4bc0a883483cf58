package io.cqconnect.sink;

import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.SyncHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Records shaped like the source connector writes them: Connect schemas made by {@link
 * ArrowToConnect} from a CloudQuery table ({@code _cq_id} uuid, {@code id} int64 primary key,
 * {@code name} utf8, optional extra utf8 columns) and the {@code cq.*} headers.
 */
final class TestRecords {

  static final DateTimeFormatter SYNC_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  final String table;
  final String topic;
  final ArrowToConnect mapper;

  TestRecords(String table, String topic, String... extraColumns) {
    this(table, topic, false, extraColumns);
  }

  TestRecords(String table, String topic, boolean incremental, String... extraColumns) {
    this.table = table;
    this.topic = topic;
    this.mapper =
        new ArrowToConnect(CqTable.fromSchema(arrowSchema(table, incremental, extraColumns)));
  }

  /** A CloudQuery table schema as the Go SDK writes it. */
  static Schema arrowSchema(String table, boolean incremental, String... extraColumns) {
    List<Field> fields = new ArrayList<>();
    Map<String, String> uuid = columnMetadata(false, true);
    uuid.put(CqMetadata.EXTENSION_NAME, CqMetadata.EXT_UUID);
    uuid.put(CqMetadata.EXTENSION_METADATA, CqMetadata.EXT_UUID_METADATA);
    fields.add(
        new Field(
            CqMetadata.CQ_ID,
            new FieldType(false, new ArrowType.FixedSizeBinary(16), null, uuid),
            null));
    fields.add(
        new Field(
            "id",
            new FieldType(false, new ArrowType.Int(64, true), null, columnMetadata(true, false)),
            null));
    fields.add(
        new Field(
            "name",
            new FieldType(true, ArrowType.Utf8.INSTANCE, null, columnMetadata(false, false)),
            null));
    fields.add(
        new Field(
            "amount",
            new FieldType(
                true,
                new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                null,
                columnMetadata(false, false)),
            null));
    for (String extra : extraColumns) {
      fields.add(
          new Field(
              extra,
              new FieldType(true, ArrowType.Utf8.INSTANCE, null, columnMetadata(false, false)),
              null));
    }
    Map<String, String> metadata = new HashMap<>();
    metadata.put(CqMetadata.TABLE_NAME, table);
    metadata.put(CqMetadata.TABLE_DESCRIPTION, "");
    metadata.put(CqMetadata.CONSTRAINT_NAME, "");
    if (incremental) {
      metadata.put(CqMetadata.INCREMENTAL, "true");
    }
    return new Schema(fields, metadata);
  }

  private static Map<String, String> columnMetadata(boolean primaryKey, boolean unique) {
    Map<String, String> m = new HashMap<>();
    m.put(CqMetadata.PRIMARY_KEY, Boolean.toString(primaryKey));
    m.put(CqMetadata.UNIQUE, Boolean.toString(unique));
    m.put(CqMetadata.INCREMENTAL, "false");
    return m;
  }

  static UUID cqId(String table, long id) {
    return UUID.nameUUIDFromBytes((table + "/" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** A data record with the source connector's headers. */
  SinkRecord row(
      long offset, long id, String name, Instant syncTime, String source, String... extras) {
    Struct key = new Struct(mapper.keySchema()).put("id", id);
    Struct value =
        new Struct(mapper.valueSchema())
            .put(CqMetadata.CQ_ID, cqId(table, id).toString())
            .put("id", id)
            .put("name", name)
            .put("amount", id * 1.5);
    List<org.apache.kafka.connect.data.Field> fields = mapper.valueSchema().fields();
    for (int i = 0; i < extras.length; i++) {
      value.put(fields.get(4 + i).name(), extras[i]);
    }
    return new SinkRecord(
        topic,
        0,
        mapper.keySchema(),
        key,
        mapper.valueSchema(),
        value,
        offset,
        null,
        org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE,
        headers(table, source, syncTime));
  }

  /** A tombstone for the row with this id. */
  SinkRecord tombstone(long offset, long id, Instant syncTime, String source) {
    Struct key = new Struct(mapper.keySchema()).put("id", id);
    return new SinkRecord(
        topic,
        0,
        mapper.keySchema(),
        key,
        null,
        null,
        offset,
        null,
        org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE,
        headers(table, source, syncTime));
  }

  /** The end-of-sync marker the source connector writes after a clean sync of the table. */
  SinkRecord marker(long offset, Instant syncTime, String source, boolean incremental) {
    Headers headers = headers(table, source, syncTime);
    headers.addString(SyncHeaders.CONTROL, SyncHeaders.SYNC_END);
    headers.addBoolean(SyncHeaders.INCREMENTAL, incremental);
    return control(offset, headers);
  }

  /**
   * The end-of-sync marker as the source writes it now: with the table's Arrow schema and the CLI's
   * delete-stale decision.
   */
  SinkRecord marker(
      long offset, Instant syncTime, String source, boolean incremental, boolean deleteStale) {
    SinkRecord marker = marker(offset, syncTime, source, incremental);
    marker.headers().addBoolean(SyncHeaders.DELETE_STALE, deleteStale);
    marker
        .headers()
        .addString(
            SyncHeaders.SCHEMA,
            java.util.Base64.getEncoder()
                .encodeToString(
                    io.cqconnect.arrow.ArrowIpc.schemaToBytes(mapper.table().schema())
                        .toByteArray()));
    return marker;
  }

  /**
   * A delete-record control record: the plugin's delete of the rows whose {@code id} is one of
   * {@code ids} (one OR group of equality predicates, as CloudQuery's test source sends it).
   */
  SinkRecord deleteRecord(long offset, Instant syncTime, String source, long... ids) {
    io.cqconnect.plugin.proto.v3.PredicatesGroup.Builder group =
        io.cqconnect.plugin.proto.v3.PredicatesGroup.newBuilder()
            .setGroupingType(io.cqconnect.plugin.proto.v3.PredicatesGroup.GroupingType.OR);
    Schema idOnly =
        new Schema(
            List.of(new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null)),
            Map.of(CqMetadata.TABLE_NAME, table));
    for (long id : ids) {
      try (org.apache.arrow.memory.RootAllocator allocator =
              new org.apache.arrow.memory.RootAllocator();
          org.apache.arrow.vector.VectorSchemaRoot root =
              org.apache.arrow.vector.VectorSchemaRoot.create(idOnly, allocator)) {
        ((org.apache.arrow.vector.BigIntVector) root.getVector(0)).setSafe(0, id);
        root.setRowCount(1);
        group.addPredicates(
            io.cqconnect.plugin.proto.v3.Predicate.newBuilder()
                .setOperator(io.cqconnect.plugin.proto.v3.Predicate.Operator.EQ)
                .setColumn("id")
                .setRecord(io.cqconnect.arrow.ArrowIpc.recordToBytes(root)));
      }
    }
    byte[] message =
        io.cqconnect.plugin.proto.v3.Sync.MessageDeleteRecord.newBuilder()
            .setTableName(table)
            .addWhereClause(group)
            .build()
            .toByteArray();
    Headers headers = headers(table, source, syncTime);
    headers.addString(SyncHeaders.CONTROL, SyncHeaders.DELETE_RECORD);
    headers.addString(SyncHeaders.DELETE, java.util.Base64.getEncoder().encodeToString(message));
    return control(offset, headers);
  }

  /** A control record: null key and value, the meaning in the headers. */
  private SinkRecord control(long offset, Headers headers) {
    return new SinkRecord(
        topic,
        0,
        null,
        null,
        null,
        null,
        offset,
        null,
        org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE,
        headers);
  }

  static Headers headers(String table, String source, Instant syncTime) {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(SyncHeaders.TABLE, table);
    if (source != null) {
      headers.addString(SyncHeaders.SOURCE, source);
    }
    if (syncTime != null) {
      headers.addString(SyncHeaders.SYNC_TIME, SYNC_TIME.format(syncTime));
    }
    return headers;
  }
}
