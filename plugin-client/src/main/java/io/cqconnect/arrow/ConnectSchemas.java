package io.cqconnect.arrow;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.SchemaBuilderException;

/**
 * Maps Arrow fields to Kafka Connect schemas, recording in schema parameters whatever the reverse
 * mapping ({@link ArrowFields}) needs to rebuild the exact Arrow field.
 */
final class ConnectSchemas {

  /** Default child names written by the Go Arrow library, which CloudQuery uses. */
  static final String LIST_ITEM = "item";

  static final String MAP_ENTRIES = "entries";
  static final String MAP_KEY = "key";
  static final String MAP_VALUE = "value";

  private final String table;
  private final String structNamespace;
  private final TimestampMapping timestamps;

  /**
   * @param table table name, for error messages
   * @param structNamespace prefix of nested struct schema names (the value schema name)
   * @param timestamps Connect Timestamp, or {@link ExactTimestamp} counts of the Arrow unit
   */
  ConnectSchemas(String table, String structNamespace, TimestampMapping timestamps) {
    this.table = table;
    this.structNamespace = structNamespace;
    this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
  }

  /**
   * Connect schema of a top-level column whose Connect field is named {@code connectName} ({@link
   * FieldNames}).
   */
  Schema column(Field field, String connectName) {
    return schema(field, connectName, field.getName(), Columns.avroSafe(field.getName()));
  }

  private Schema schema(Field field, String columnPath, String namePath) {
    return schema(field, field.getName(), columnPath, namePath);
  }

  private Schema schema(Field field, String connectName, String columnPath, String namePath) {
    SchemaBuilder builder = builder(field, columnPath, namePath);
    if (!connectName.equals(field.getName())) {
      builder.parameter(SchemaParameters.FIELD_NAME, field.getName());
    }
    Map<String, String> metadata = field.getMetadata();
    if (metadata != null) {
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        builder.parameter(SchemaParameters.parameterFor(e.getKey()), e.getValue());
      }
    }
    if (field.getType() instanceof ArrowType.ExtensionType) {
      // A registered Java extension type: record it like CloudQuery's metadata does.
      ArrowType.ExtensionType ext = (ArrowType.ExtensionType) field.getType();
      builder.parameter(CqMetadata.EXTENSION_NAME, ext.extensionName());
      builder.parameter(CqMetadata.EXTENSION_METADATA, ext.serialize());
    }
    if (field.isNullable()) {
      builder.optional();
    }
    return builder.build();
  }

  private SchemaBuilder builder(Field field, String columnPath, String namePath) {
    ArrowType type = Columns.storageType(field);
    String extension = Columns.knownExtension(field);
    if (extension != null) {
      return SchemaBuilder.string();
    }
    switch (type.getTypeID()) {
      case Int:
        return integer((ArrowType.Int) type);
      case FloatingPoint:
        switch (((ArrowType.FloatingPoint) type).getPrecision()) {
          case HALF:
            return SchemaBuilder.float32().parameter(SchemaParameters.ARROW_TYPE, "float16");
          case SINGLE:
            return SchemaBuilder.float32();
          default:
            return SchemaBuilder.float64();
        }
      case Bool:
        return SchemaBuilder.bool();
      case Utf8:
        return SchemaBuilder.string();
      case LargeUtf8:
        return SchemaBuilder.string().parameter(SchemaParameters.ARROW_TYPE, "large_utf8");
      case Binary:
        return SchemaBuilder.bytes();
      case LargeBinary:
        return SchemaBuilder.bytes().parameter(SchemaParameters.ARROW_TYPE, "large_binary");
      case FixedSizeBinary:
        return SchemaBuilder.bytes()
            .parameter(
                SchemaParameters.ARROW_TYPE,
                "fixed_size_binary[" + ((ArrowType.FixedSizeBinary) type).getByteWidth() + "]");
      case Decimal:
        return decimal((ArrowType.Decimal) type);
      case Date:
        return ((ArrowType.Date) type).getUnit() == DateUnit.DAY
            ? Date.builder()
            : Date.builder().parameter(SchemaParameters.ARROW_TYPE, "date64");
      case Time:
        return time((ArrowType.Time) type);
      case Timestamp:
        return timestamp((ArrowType.Timestamp) type);
      case Duration:
        return SchemaBuilder.int64()
            .parameter(
                SchemaParameters.ARROW_TYPE, ArrowTypeNames.duration((ArrowType.Duration) type));
      case Interval:
        return interval((ArrowType.Interval) type, namePath);
      case List:
      case LargeList:
      case FixedSizeList:
        return list(field, type, columnPath, namePath);
      case Struct:
        return struct(field, columnPath, namePath);
      case Map:
        return map(field, (ArrowType.Map) type, columnPath, namePath);
      default:
        throw unsupported(columnPath, type);
    }
  }

  private static SchemaBuilder integer(ArrowType.Int type) {
    if (type.getIsSigned()) {
      switch (type.getBitWidth()) {
        case 8:
          return SchemaBuilder.int8();
        case 16:
          return SchemaBuilder.int16();
        case 32:
          return SchemaBuilder.int32();
        default:
          return SchemaBuilder.int64();
      }
    }
    // Unsigned values widen to the next signed type; uint64 needs a decimal to stay lossless.
    switch (type.getBitWidth()) {
      case 8:
        return SchemaBuilder.int16().parameter(SchemaParameters.ARROW_TYPE, "uint8");
      case 16:
        return SchemaBuilder.int32().parameter(SchemaParameters.ARROW_TYPE, "uint16");
      case 32:
        return SchemaBuilder.int64().parameter(SchemaParameters.ARROW_TYPE, "uint32");
      default:
        return Decimal.builder(0)
            .parameter(SchemaParameters.DECIMAL_PRECISION, "20")
            .parameter(SchemaParameters.ARROW_TYPE, "uint64");
    }
  }

  private static SchemaBuilder decimal(ArrowType.Decimal type) {
    SchemaBuilder builder =
        Decimal.builder(type.getScale())
            .parameter(SchemaParameters.DECIMAL_PRECISION, Integer.toString(type.getPrecision()));
    if (type.getBitWidth() != 128) {
      builder.parameter(SchemaParameters.ARROW_TYPE, ArrowTypeNames.decimal(type));
    }
    return builder;
  }

  private static SchemaBuilder time(ArrowType.Time type) {
    switch (type.getUnit()) {
      case MILLISECOND:
        return Time.builder();
      case SECOND:
        return Time.builder().parameter(SchemaParameters.ARROW_TYPE, ArrowTypeNames.time(type));
      default:
        // Connect Time holds milliseconds: finer units stay exact as a count in their own unit.
        return SchemaBuilder.int64()
            .parameter(SchemaParameters.ARROW_TYPE, ArrowTypeNames.time(type));
    }
  }

  private SchemaBuilder timestamp(ArrowType.Timestamp type) {
    if (timestamps == TimestampMapping.EXACT) {
      // Like time64: a count of the Arrow unit keeps every digit Connect Timestamp would drop.
      return ExactTimestamp.builder(type);
    }
    SchemaBuilder builder = Timestamp.builder();
    if (!isDefaultTimestamp(type)) {
      builder.parameter(SchemaParameters.ARROW_TYPE, ArrowTypeNames.timestamp(type));
    }
    return builder;
  }

  /** timestamp[us, tz=UTC] is CloudQuery's timestamp type and the default for Connect Timestamp. */
  static boolean isDefaultTimestamp(ArrowType.Timestamp type) {
    return type.getUnit() == TimeUnit.MICROSECOND && "UTC".equals(type.getTimezone());
  }

  private SchemaBuilder interval(ArrowType.Interval type, String namePath) {
    String typeName = ArrowTypeNames.interval(type);
    switch (type.getUnit()) {
      case YEAR_MONTH:
        return SchemaBuilder.int32().parameter(SchemaParameters.ARROW_TYPE, typeName);
      case DAY_TIME:
        return SchemaBuilder.struct()
            .name(structName(namePath))
            .field("days", Schema.INT32_SCHEMA)
            .field("milliseconds", Schema.INT32_SCHEMA)
            .parameter(SchemaParameters.ARROW_TYPE, typeName);
      default:
        return SchemaBuilder.struct()
            .name(structName(namePath))
            .field("months", Schema.INT32_SCHEMA)
            .field("days", Schema.INT32_SCHEMA)
            .field("nanoseconds", Schema.INT64_SCHEMA)
            .parameter(SchemaParameters.ARROW_TYPE, typeName);
    }
  }

  private SchemaBuilder list(Field field, ArrowType type, String columnPath, String namePath) {
    List<Field> children = field.getChildren();
    if (children.size() != 1) {
      throw invalid(columnPath, type, "a list needs exactly one child field");
    }
    Field item = children.get(0);
    SchemaBuilder builder =
        SchemaBuilder.array(
            schema(
                item,
                columnPath + "." + item.getName(),
                namePath + "_" + Columns.avroSafe(item.getName())));
    if (!LIST_ITEM.equals(item.getName())) {
      builder.parameter(SchemaParameters.LIST_ITEM_NAME, item.getName());
    }
    if (type instanceof ArrowType.LargeList) {
      builder.parameter(SchemaParameters.ARROW_TYPE, "large_list");
    } else if (type instanceof ArrowType.FixedSizeList) {
      builder.parameter(
          SchemaParameters.ARROW_TYPE,
          "fixed_size_list[" + ((ArrowType.FixedSizeList) type).getListSize() + "]");
    }
    return builder;
  }

  private SchemaBuilder struct(Field field, String columnPath, String namePath) {
    SchemaBuilder builder = SchemaBuilder.struct().name(structName(namePath));
    List<Field> children = field.getChildren();
    List<String> connectNames =
        FieldNames.connectNames(children.stream().map(Field::getName).toList());
    for (int i = 0; i < children.size(); i++) {
      Field child = children.get(i);
      Schema childSchema =
          schema(
              child,
              connectNames.get(i),
              columnPath + "." + child.getName(),
              namePath + "_" + Columns.avroSafe(child.getName()));
      try {
        builder.field(connectNames.get(i), childSchema);
      } catch (SchemaBuilderException e) {
        throw invalid(columnPath, field.getType(), e.getMessage());
      }
    }
    return builder;
  }

  private SchemaBuilder map(Field field, ArrowType.Map type, String columnPath, String namePath) {
    Field entries = field.getChildren().size() == 1 ? field.getChildren().get(0) : null;
    if (entries == null || entries.getChildren().size() != 2) {
      throw invalid(columnPath, type, "a map needs one entries child with a key and a value");
    }
    Field key = entries.getChildren().get(0);
    Field value = entries.getChildren().get(1);
    SchemaBuilder builder =
        SchemaBuilder.map(
            schema(key, columnPath + "." + key.getName(), namePath + "_key"),
            schema(value, columnPath + "." + value.getName(), namePath + "_value"));
    if (!MAP_ENTRIES.equals(entries.getName())) {
      builder.parameter(SchemaParameters.MAP_ENTRIES_NAME, entries.getName());
    }
    if (!MAP_KEY.equals(key.getName())) {
      builder.parameter(SchemaParameters.MAP_KEY_NAME, key.getName());
    }
    if (!MAP_VALUE.equals(value.getName())) {
      builder.parameter(SchemaParameters.MAP_VALUE_NAME, value.getName());
    }
    if (type.getKeysSorted()) {
      builder.parameter(SchemaParameters.ARROW_TYPE, "map[keys_sorted]");
    }
    return builder;
  }

  private String structName(String namePath) {
    return structNamespace + "." + namePath;
  }

  private DataException unsupported(String columnPath, ArrowType type) {
    return new DataException(
        "Table '"
            + table
            + "' column '"
            + columnPath
            + "' has Arrow type "
            + type
            + ", which cq-connect cannot map to Kafka Connect. Supported: integers, floats, bool,"
            + " utf8, binary (plain, large, fixed), decimal, date, time, timestamp, duration,"
            + " interval, list (plain, large, fixed), struct, map and the uuid/json/inet/mac"
            + " extensions.");
  }

  private DataException invalid(String columnPath, ArrowType type, String why) {
    return new DataException(
        "Table '" + table + "' column '" + columnPath + "' (Arrow type " + type + "): " + why);
  }
}
