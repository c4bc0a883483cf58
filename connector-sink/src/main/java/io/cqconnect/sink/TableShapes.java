package io.cqconnect.sink;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.config.PkMode;
import io.cqconnect.config.WriteMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Computes (and caches) the Arrow schema a table is written with, expressing the write mode the way
 * the CloudQuery CLI does, since the protocol has no write-mode field.
 *
 * <ul>
 *   <li>{@code append}: every {@code primary_key} and {@code unique} flag is removed, so the
 *       destination appends.
 *   <li>{@code overwrite}, {@code overwrite-delete-stale}: primary keys are kept, so the
 *       destination upserts; when the value schema flags none (records from other producers), the
 *       fields of the record key become the primary key.
 *   <li>{@code pk.mode=cq-id-only} (not with append): {@code _cq_id} is the only primary key.
 *   <li>{@code _cq_sync_time} (timestamp[us, UTC]) and then {@code _cq_source_name} (utf8) are
 *       prepended when the value schema lacks them; the sink fills them from the record headers.
 * </ul>
 *
 * Not thread-safe: owned by the task thread.
 */
final class TableShapes {

  private static final int MAX_CACHED = 1024;

  private final WriteMode writeMode;
  private final PkMode pkMode;
  private final ConnectToArrow converter;
  private final Map<String, TableShape> lastByTable = new HashMap<>();
  private final Map<Key, TableShape> cache = new HashMap<>();

  TableShapes(WriteMode writeMode, PkMode pkMode, ConnectToArrow converter) {
    this.writeMode = writeMode;
    this.pkMode = pkMode;
    this.converter = converter;
  }

  /**
   * The shape of {@code table} for records with these Connect schemas.
   *
   * @throws DataException if the value schema cannot be written as an Arrow table
   */
  TableShape shapeFor(
      String table,
      org.apache.kafka.connect.data.Schema valueSchema,
      org.apache.kafka.connect.data.Schema keySchema) {
    TableShape last = lastByTable.get(table);
    if (last != null && last.builtFrom(valueSchema, keySchema)) {
      return last;
    }
    Key key = new Key(table, valueSchema, keySchema);
    TableShape shape = cache.get(key);
    if (shape == null) {
      shape = build(table, valueSchema, keySchema);
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(key, shape);
    }
    lastByTable.put(table, shape);
    return shape;
  }

  /**
   * The shape of {@code table} for a table announced by its Arrow IPC schema (an end-of-sync
   * marker): the same shape its records get, so one {@code migrate_table} serves both.
   *
   * @throws DataException if the bytes are not an Arrow schema the sink can write
   */
  TableShape shapeOf(String table, byte[] arrowSchema) {
    ArrowToConnect connect;
    try {
      connect =
          new ArrowToConnect(
              CqTable.fromSchema(ArrowIpc.schemaFromBytes(ByteString.copyFrom(arrowSchema))));
    } catch (RuntimeException e) {
      throw new DataException("the announced table schema cannot be read: " + e.getMessage(), e);
    }
    return shapeFor(table, connect.valueSchema(), connect.keySchema());
  }

  private TableShape build(
      String table,
      org.apache.kafka.connect.data.Schema valueSchema,
      org.apache.kafka.connect.data.Schema keySchema) {
    Set<String> primaryKeys =
        declaresPrimaryKey(valueSchema) ? null : keyColumns(valueSchema, keySchema);
    Schema base = converter.arrowSchema(table, valueSchema, primaryKeys);
    List<Field> fields = new ArrayList<>(base.getFields().size() + 2);
    int syncTime = -1;
    int sourceName = -1;
    if (!hasField(base, CqMetadata.CQ_SYNC_TIME)) {
      syncTime = fields.size();
      fields.add(
          new Field(
              CqMetadata.CQ_SYNC_TIME,
              FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
              null));
    }
    if (!hasField(base, CqMetadata.CQ_SOURCE_NAME)) {
      sourceName = fields.size();
      fields.add(
          new Field(CqMetadata.CQ_SOURCE_NAME, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
    }
    boolean cqIdOnly = pkMode == PkMode.CQ_ID_ONLY && writeMode != WriteMode.APPEND;
    if (cqIdOnly && !hasField(base, CqMetadata.CQ_ID)) {
      throw new DataException(
          "Table '"
              + table
              + "': pk.mode=cq-id-only makes _cq_id the primary key, but the records have no _cq_id"
              + " field; use pk.mode=default");
    }
    for (Field field : base.getFields()) {
      fields.add(shaped(field, cqIdOnly));
    }
    return new TableShape(
        table,
        new Schema(fields, base.getCustomMetadata()),
        syncTime,
        sourceName,
        valueSchema,
        keySchema);
  }

  private Field shaped(Field field, boolean cqIdOnly) {
    Map<String, String> metadata = field.getMetadata() == null ? Map.of() : field.getMetadata();
    Map<String, String> changed = new HashMap<>(metadata);
    if (writeMode == WriteMode.APPEND) {
      changed.remove(CqMetadata.PRIMARY_KEY);
      changed.remove(CqMetadata.UNIQUE);
    } else if (cqIdOnly) {
      changed.remove(CqMetadata.PRIMARY_KEY);
      if (CqMetadata.CQ_ID.equals(field.getName())) {
        changed.put(CqMetadata.PRIMARY_KEY, CqMetadata.TRUE);
      }
    }
    if (changed.equals(metadata)) {
      return field;
    }
    return new Field(
        field.getName(),
        new FieldType(
            field.isNullable(),
            field.getType(),
            field.getDictionary(),
            changed.isEmpty() ? null : changed),
        field.getChildren());
  }

  /** Whether any value field carries {@code cq:extension:primary_key=true}. */
  static boolean declaresPrimaryKey(org.apache.kafka.connect.data.Schema valueSchema) {
    if (valueSchema == null
        || valueSchema.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT) {
      return false;
    }
    for (org.apache.kafka.connect.data.Field field : valueSchema.fields()) {
      Map<String, String> params = field.schema().parameters();
      if (params != null && CqMetadata.isTrue(params.get(CqMetadata.PRIMARY_KEY))) {
        return true;
      }
    }
    return false;
  }

  /** The record key's field names that are also value fields: the primary key of such records. */
  static Set<String> keyColumns(
      org.apache.kafka.connect.data.Schema valueSchema,
      org.apache.kafka.connect.data.Schema keySchema) {
    Set<String> columns = new LinkedHashSet<>();
    if (keySchema == null
        || keySchema.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT
        || valueSchema == null
        || valueSchema.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT) {
      return columns;
    }
    for (org.apache.kafka.connect.data.Field field : keySchema.fields()) {
      if (valueSchema.field(field.name()) != null) {
        columns.add(field.name());
      }
    }
    return columns;
  }

  private static boolean hasField(Schema schema, String name) {
    for (Field field : schema.getFields()) {
      if (field.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Cache key; Connect schemas compare deeply, so equal schemas from new objects hit too. */
  private record Key(
      String table,
      org.apache.kafka.connect.data.Schema value,
      org.apache.kafka.connect.data.Schema key) {
    Key {
      Objects.requireNonNull(table, "table");
    }
  }
}
