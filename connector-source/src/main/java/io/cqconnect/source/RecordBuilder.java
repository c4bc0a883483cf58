package io.cqconnect.source;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.arrow.RecordDecoder;
import io.cqconnect.arrow.TimestampMapping;
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
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the messages of one sync into Connect records: registers tables from {@code migrate_table},
 * decodes inserts (one record per row, or with {@link #writingArrowBatches()} one record per insert
 * carrying its Arrow IPC bytes) and turns primary-key deletes into tombstones (forwarded
 * delete-records for Arrow batches, which have no Connect keys). Written by the sync thread; the
 * poll thread's {@link SyncCommitter} reads the table facts for the end-of-sync markers of a sync
 * that ended (hence the concurrent maps). A table's converter is rebuilt when its schema changes.
 */
final class RecordBuilder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecordBuilder.class);

  /** Distinct insert schemas whose decoding state is kept (a few per table at most). */
  private static final int MAX_INSERT_SCHEMAS = 256;

  private final String source;
  private final TopicNamer topics;
  private final BufferAllocator allocator;
  private final TimestampMapping timestamps;
  private final Map<String, TableConverter> tables = new ConcurrentHashMap<>();
  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final RecordDecoder<InsertSchema> decoder;
  private boolean arrowBatches;

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
    this.decoder = new RecordDecoder<>(allocator, MAX_INSERT_SCHEMAS);
    // plugin-client has its own enum so it does not depend on config (DESIGN §2).
    this.timestamps =
        timestamps == TimestampPrecision.EXACT
            ? TimestampMapping.EXACT
            : TimestampMapping.MILLISECONDS;
  }

  /**
   * Makes each insert one record whose value is the plugin's Arrow IPC bytes as they came ({@code
   * record.format=arrow}), and each delete a forwarded delete-record; returns this builder.
   */
  RecordBuilder writingArrowBatches() {
    this.arrowBatches = true;
    return this;
  }

  /**
   * Registers (or re-registers, after a schema change) a table from its {@code migrate_table}. The
   * announced schema decides the table's keys, as the CLI forwards it to destinations: with {@code
   * deterministic_cq_id} it makes {@code _cq_id} the only primary key, while inserts still flag the
   * natural keys.
   */
  CqTable migrate(Sync.MessageMigrateTable message) {
    CqTable table = CqTable.fromSchema(ArrowIpc.schemaFromBytes(message.getTable()));
    announced.add(table.name());
    TableConverter previous = tables.get(table.name());
    if (previous == null || !previous.table.schema().equals(table.schema())) {
      tables.put(
          table.name(),
          new TableConverter(
              table, new ArrowToConnect(table, timestamps), topics.topicFor(table.name())));
    }
    return table;
  }

  /** The name rows are written under ({@code cq.source}). */
  String source() {
    return source;
  }

  /** Whether the plugin announced the table with {@code migrate_table}. */
  boolean announced(String table) {
    return announced.contains(table);
  }

  boolean isIncremental(String table) {
    TableConverter converter = tables.get(table);
    return converter != null && converter.table.incremental();
  }

  String topicFor(String table) {
    return topics.topicFor(table);
  }

  /**
   * One record per row of the insert. The per-schema work (parsing the schema, naming the table,
   * matching it to the announced one) is done once per distinct schema message ({@link
   * RecordDecoder}); a batch of a known schema costs only its rows. With {@link
   * #writingArrowBatches()}, one record carrying the insert's bytes, tagged with its row count,
   * which is read from the batch's header: its rows are not loaded.
   */
  List<SyncRecord> insert(long generation, String syncTime, Sync.MessageInsert message) {
    try (RecordDecoder.Batch<InsertSchema> batch =
        arrowBatches ? decoder.peek(message.getRecord()) : decoder.decode(message.getRecord())) {
      VectorSchemaRoot root = batch.root();
      InsertSchema schema = batch.attachment();
      if (schema == null) {
        schema = new InsertSchema(CqTable.fromSchema(root.getSchema()).name());
        batch.attach(schema);
      }
      String name = schema.table;
      TableConverter converter = schema.converter;
      if (converter == null || converter != tables.get(name)) {
        // First batch of this schema, or the table was (re)registered since.
        converter = converterFor(name, root);
        schema.converter = converter;
        schema.announced =
            converter.table.schema().equals(root.getSchema()) ? null : converter.table.schema();
      }
      int rows = batch.rowCount();
      if (arrowBatches) {
        return rows == 0
            ? List.of()
            : List.of(
                arrowRecord(
                    generation, syncTime, name, converter.topic, bytes(message, schema), rows));
      }
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
   * The records of a plugin's {@code delete_record}. When every predicate group pins exactly the
   * key columns with equality (and no child tables are named), one tombstone per group, which Kafka
   * consumers and compaction understand. Any other delete (an OR of predicates on one column, a
   * non-key column, child tables) becomes one delete-record control record on the table's topic
   * that carries the message as it came, which the sink forwards to the destination unchanged, as
   * the CloudQuery CLI does. A delete for a table the plugin never announced is skipped (empty
   * list).
   */
  List<SyncRecord> delete(long generation, String syncTime, Sync.MessageDeleteRecord message) {
    String name = message.getTableName();
    TableConverter converter = tables.get(name);
    if (converter == null) {
      log.warn("Skipping delete_record for table '{}': the plugin never announced the table", name);
      return List.of();
    }
    List<SyncRecord> tombstones = new ArrayList<>();
    if (!arrowBatches && converter.keySchema != null && message.getTableRelationsCount() == 0) {
      for (PredicatesGroup group : message.getWhereClauseList()) {
        Struct key = keyOf(converter, group);
        if (key == null) {
          tombstones = null;
          break;
        }
        tombstones.add(
            converter.record(generation, key, null, RecordHeaders.data(name, source, syncTime)));
      }
      if (tombstones != null && !tombstones.isEmpty()) {
        return tombstones;
      }
    }
    return List.of(
        SyncRecord.data(
            generation,
            converter.topic,
            Schema.STRING_SCHEMA,
            ControlKeys.deleteRecord(name, source, message.toByteArray()),
            null,
            null,
            RecordHeaders.deleteRecord(name, source, syncTime, message.toByteArray())));
  }

  /**
   * An insert's bytes as a record carries them: as the plugin sent them, or under the announced
   * table's schema when the insert flags other keys (so the sink migrates the table as announced).
   */
  private static byte[] bytes(Sync.MessageInsert message, InsertSchema schema) {
    return schema.announced == null
        ? message.getRecord().toByteArray()
        : ArrowIpc.withSchema(message.getRecord(), schema.announced).toByteArray();
  }

  /** An insert as one record: its Arrow IPC bytes, no key, the headers of {@code rows} rows. */
  private SyncRecord arrowRecord(
      long generation, String syncTime, String table, String topic, byte[] value, int rows) {
    return SyncRecord.data(
            generation,
            topic,
            null,
            null,
            Schema.OPTIONAL_BYTES_SCHEMA,
            value,
            RecordHeaders.arrowBatch(table, source, syncTime, rows))
        .carrying(rows);
  }

  /**
   * Whether the CloudQuery CLI would delete stale rows of {@code table}: not when a state backend
   * is in use and the table or one of its ancestors is incremental; otherwise yes.
   */
  boolean deleteStale(String table, boolean keepsState) {
    if (!keepsState) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    for (String name = table; name != null && seen.add(name); ) {
      TableConverter converter = tables.get(name);
      if (converter == null) {
        return true;
      }
      if (converter.table.incremental()) {
        return false;
      }
      String parent = converter.table.parent();
      name = parent == null || parent.isEmpty() ? null : parent;
    }
    return true;
  }

  /** The Arrow IPC schema of a registered table, as the plugin migrated it. */
  byte[] schemaBytes(String table) {
    return ArrowIpc.schemaToBytes(tables.get(table).table.schema()).toByteArray();
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
      String field = keyField(converter, predicate.getColumn());
      if (predicate.getOperator() != Predicate.Operator.EQ || !keyColumns.contains(field)) {
        return null;
      }
      try (VectorSchemaRoot value = ArrowIpc.recordFromBytes(predicate.getRecord(), allocator)) {
        if (value.getRowCount() < 1 || value.getFieldVectors().isEmpty()) {
          throw new DataException(
              "delete_record predicate on column '" + predicate.getColumn() + "' carries no value");
        }
        key.put(field, converter.convert.column(predicate.getColumn(), value.getVector(0), 0));
      }
      seen.add(field);
    }
    return seen.equals(keyColumns) ? key : null;
  }

  /** The key struct field of a column (renamed if Avro rejects the column name: FieldNames). */
  private static String keyField(TableConverter converter, String column) {
    return converter.table.hasColumn(column) ? converter.convert.fieldName(column) : column;
  }

  private TableConverter converterFor(String name, VectorSchemaRoot root) {
    TableConverter converter = tables.get(name);
    if (converter == null || !converter.table.sameColumnsAs(root.getSchema())) {
      // An insert whose columns differ from the announced ones (or with no migrate_table first):
      // follow the data, as the CLI writes every insert it gets.
      if (!announced.contains(name) && converter == null) {
        log.warn(
            "The plugin sent rows for table '{}' without announcing it (migrate_table): they are"
                + " written as the CloudQuery CLI writes them, and the table gets no end-of-sync"
                + " marker (no delete-stale)",
            name);
      }
      CqTable table = CqTable.fromSchema(root.getSchema());
      converter =
          new TableConverter(table, new ArrowToConnect(table, timestamps), topics.topicFor(name));
      tables.put(name, converter);
    }
    return converter;
  }

  /** Releases the decoding allocator and the decoder's cached roots (all empty by now). */
  @Override
  public void close() {
    decoder.close();
    allocator.close();
  }

  /** What an insert schema means here, attached to it in the decoder. */
  private static final class InsertSchema {
    final String table;

    /** The converter last used for the schema; checked against the registered one per batch. */
    TableConverter converter;

    /**
     * The announced table's schema when it differs from the insert's (other key flags): Arrow
     * batches are written under it, as rows are keyed by it; null when the insert's is the same.
     */
    org.apache.arrow.vector.types.pojo.Schema announced;

    InsertSchema(String table) {
      this.table = table;
    }
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
      return SyncRecord.data(generation, topic, keySchema, key, valueSchema, value, headers);
    }
  }
}
