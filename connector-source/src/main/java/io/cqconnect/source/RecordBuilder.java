package io.cqconnect.source;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.config.TimestampPrecision;
import io.cqconnect.plugin.proto.v3.Predicate;
import io.cqconnect.plugin.proto.v3.PredicatesGroup;
import io.cqconnect.plugin.proto.v3.Sync;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the messages of one sync into Connect records: registers tables from {@code migrate_table},
 * decodes inserts (one record per row) and turns primary-key deletes into tombstones. Used by the
 * sync thread only; a table's converter is rebuilt when its schema changes.
 */
final class RecordBuilder {

  private static final Logger log = LoggerFactory.getLogger(RecordBuilder.class);

  private final String source;
  private final TopicNamer topics;
  private final BufferAllocator allocator;
  private final TimestampPrecision timestamps;
  private final Map<String, TableConverter> tables = new ConcurrentHashMap<>();

  /**
   * @param source the CloudQuery source name, for the {@code cq.source} header
   * @param topics table to topic
   * @param allocator decodes the Arrow blobs; closed by {@link #close()}
   * @param timestamps how timestamp columns become Connect values ({@code timestamp.precision})
   */
  RecordBuilder(
      String source, TopicNamer topics, BufferAllocator allocator, TimestampPrecision timestamps) {
    this.source = source;
    this.topics = topics;
    this.allocator = allocator;
    this.timestamps = timestamps;
  }

  /** Registers (or re-registers, after a schema change) a table from its {@code migrate_table}. */
  CqTable migrate(Sync.MessageMigrateTable message) {
    CqTable table = CqTable.fromSchema(ArrowIpc.schemaFromBytes(message.getTable()));
    TableConverter previous = tables.get(table.name());
    if (previous == null || !previous.table.schema().equals(table.schema())) {
      tables.put(
          table.name(),
          new TableConverter(
              table, new ArrowToConnect(table, timestamps), topics.topicFor(table.name())));
    }
    return table;
  }

  /** The tables registered so far. */
  Set<String> tableNames() {
    return new HashSet<>(tables.keySet());
  }

  boolean isIncremental(String table) {
    TableConverter converter = tables.get(table);
    return converter != null && converter.table.incremental();
  }

  String topicFor(String table) {
    return topics.topicFor(table);
  }

  /** One record per row of the insert. */
  List<SyncRecord> insert(long generation, String syncTime, Sync.MessageInsert message) {
    try (VectorSchemaRoot root = ArrowIpc.recordFromBytes(message.getRecord(), allocator)) {
      String name = CqTable.fromSchema(root.getSchema()).name();
      TableConverter converter = converterFor(name, root);
      int rows = root.getRowCount();
      List<SyncRecord> records = new ArrayList<>(rows);
      Headers headers = RecordHeaders.data(name, source, syncTime);
      for (int row = 0; row < rows; row++) {
        Struct key = converter.keySchema == null ? null : converter.convert.key(root, row);
        records.add(converter.record(generation, key, converter.convert.value(root, row), headers));
      }
      return records;
    }
  }

  /**
   * A tombstone for a delete whose predicates pin every primary-key column with equality; other
   * deletes cannot be expressed as a Kafka record and are logged and skipped (empty list).
   */
  List<SyncRecord> delete(long generation, String syncTime, Sync.MessageDeleteRecord message) {
    TableConverter converter = tables.get(message.getTableName());
    if (converter == null || converter.keySchema == null) {
      log.warn(
          "Skipping delete_record for table '{}': {}",
          message.getTableName(),
          converter == null ? "the plugin never announced the table" : "the table has no key");
      return List.of();
    }
    List<SyncRecord> tombstones = new ArrayList<>();
    for (PredicatesGroup group : message.getWhereClauseList()) {
      Struct key = keyOf(converter, group);
      if (key == null) {
        log.warn(
            "Skipping delete_record for table '{}': only AND groups of equality predicates on"
                + " exactly the key columns {} become tombstones, got {}",
            message.getTableName(),
            converter.keySchema.fields().stream().map(Field::name).toList(),
            group.getPredicatesList().stream().map(Predicate::getColumn).toList());
        continue;
      }
      tombstones.add(
          converter.record(
              generation, key, null, RecordHeaders.data(message.getTableName(), source, syncTime)));
    }
    return tombstones;
  }

  private Struct keyOf(TableConverter converter, PredicatesGroup group) {
    if (group.getPredicatesCount() > 1
        && group.getGroupingType() != PredicatesGroup.GroupingType.AND) {
      return null;
    }
    Set<String> keyColumns = new HashSet<>();
    converter.keySchema.fields().forEach(f -> keyColumns.add(f.name()));
    Struct key = new Struct(converter.keySchema);
    Set<String> seen = new HashSet<>();
    for (Predicate predicate : group.getPredicatesList()) {
      if (predicate.getOperator() != Predicate.Operator.EQ
          || !keyColumns.contains(predicate.getColumn())) {
        return null;
      }
      try (VectorSchemaRoot value = ArrowIpc.recordFromBytes(predicate.getRecord(), allocator)) {
        if (value.getRowCount() < 1 || value.getFieldVectors().isEmpty()) {
          throw new DataException(
              "delete_record predicate on column '" + predicate.getColumn() + "' carries no value");
        }
        key.put(
            predicate.getColumn(),
            converter.convert.column(predicate.getColumn(), value.getVector(0), 0));
      }
      seen.add(predicate.getColumn());
    }
    return seen.equals(keyColumns) ? key : null;
  }

  private TableConverter converterFor(String name, VectorSchemaRoot root) {
    TableConverter converter = tables.get(name);
    if (converter == null
        || !converter.table.schema().getFields().equals(root.getSchema().getFields())) {
      // An insert whose schema differs from the announced one (or with no migrate_table first):
      // follow the data, as the CLI does when it re-encodes every insert.
      CqTable table = CqTable.fromSchema(root.getSchema());
      converter =
          new TableConverter(table, new ArrowToConnect(table, timestamps), topics.topicFor(name));
      tables.put(name, converter);
    }
    return converter;
  }

  /** Releases the decoding allocator; every decoded batch is already closed. */
  void close() {
    allocator.close();
  }

  private static final class TableConverter {
    final CqTable table;
    final ArrowToConnect convert;
    final String topic;
    final Schema keySchema;
    final Schema valueSchema;

    TableConverter(CqTable table, ArrowToConnect convert, String topic) {
      this.table = table;
      this.convert = convert;
      this.topic = topic;
      this.keySchema = convert.keySchema();
      this.valueSchema = convert.valueSchema();
    }

    /** A data record of this table; a null value is a tombstone. */
    SyncRecord record(long generation, Struct key, Struct value, Headers headers) {
      return new SyncRecord(
          generation,
          SyncRecord.Kind.DATA,
          null,
          null,
          topic,
          keySchema,
          key,
          valueSchema,
          value,
          null,
          headers);
    }
  }
}
