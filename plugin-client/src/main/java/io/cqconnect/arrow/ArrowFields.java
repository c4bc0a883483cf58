package io.cqconnect.arrow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps Kafka Connect schemas to Arrow fields: the reverse of {@link ConnectSchemas}, using its
 * parameters when present and CloudQuery's usual Arrow types when not.
 */
final class ArrowFields {

  private static final int DEFAULT_DECIMAL_PRECISION = 38;

  private final String table;

  ArrowFields(String table) {
    this.table = table;
  }

  /** The Arrow field for a Connect field of the given name and schema. */
  Field field(String name, Schema schema) {
    return field(name, schema, name);
  }

  private Field field(String name, Schema schema, String path) {
    Map<String, String> params = schema.parameters() == null ? Map.of() : schema.parameters();
    Map<String, String> metadata = metadata(params);
    ArrowType declared = declaredType(params, schema, path);
    if (ExactTimestamp.is(schema) && !(declared instanceof ArrowType.Timestamp)) {
      throw missingUnit(params, schema, path);
    }
    List<Field> children = new ArrayList<>(0);
    ArrowType type;
    String extension = params.get(CqMetadata.EXTENSION_NAME);
    if (schema.type() == Schema.Type.STRING && isTextExtension(extension)) {
      type =
          CqMetadata.EXT_UUID.equals(extension)
              ? new ArrowType.FixedSizeBinary(16)
              : ArrowType.Binary.INSTANCE;
    } else {
      type = declared != null ? declared : defaultType(schema, path);
      switch (type.getTypeID()) {
        case List:
        case LargeList:
        case FixedSizeList:
          children.add(
              field(
                  params.getOrDefault(SchemaParameters.LIST_ITEM_NAME, ConnectSchemas.LIST_ITEM),
                  schema.valueSchema(),
                  path + ".item"));
          break;
        case Map:
          children.add(mapEntries(params, schema, path));
          break;
        case Struct:
          for (org.apache.kafka.connect.data.Field child : schema.fields()) {
            String childName = FieldNames.arrowName(child);
            children.add(field(childName, child.schema(), path + "." + childName));
          }
          break;
        default:
          break;
      }
    }
    return new Field(
        name,
        new FieldType(schema.isOptional(), type, null, metadata.isEmpty() ? null : metadata),
        children);
  }

  private Field mapEntries(Map<String, String> params, Schema schema, String path) {
    Field key =
        field(
            params.getOrDefault(SchemaParameters.MAP_KEY_NAME, ConnectSchemas.MAP_KEY),
            schema.keySchema(),
            path + ".key");
    if (key.isNullable()) {
      // Arrow map keys can never be null.
      key =
          new Field(
              key.getName(),
              new FieldType(false, key.getType(), null, key.getMetadata()),
              key.getChildren());
    }
    Field value =
        field(
            params.getOrDefault(SchemaParameters.MAP_VALUE_NAME, ConnectSchemas.MAP_VALUE),
            schema.valueSchema(),
            path + ".value");
    return new Field(
        params.getOrDefault(SchemaParameters.MAP_ENTRIES_NAME, ConnectSchemas.MAP_ENTRIES),
        FieldType.notNullable(ArrowType.Struct.INSTANCE),
        List.of(key, value));
  }

  private static boolean isTextExtension(String extension) {
    return CqMetadata.EXT_UUID.equals(extension)
        || CqMetadata.EXT_JSON.equals(extension)
        || CqMetadata.EXT_INET.equals(extension)
        || CqMetadata.EXT_MAC.equals(extension);
  }

  /** The Arrow metadata carried by a Connect schema's parameters. */
  static Map<String, String> metadata(Map<String, String> params) {
    Map<String, String> metadata = new HashMap<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String key = SchemaParameters.metadataFor(e.getKey());
      if (key != null) {
        metadata.put(key, e.getValue());
      }
    }
    return metadata;
  }

  /** An exact timestamp's count means nothing without its unit; guessing one scales by 1000s. */
  private DataException missingUnit(Map<String, String> params, Schema schema, String path) {
    String declared = params.get(SchemaParameters.ARROW_TYPE);
    return error(
        path,
        schema,
        "an exact timestamp needs its parameter "
            + SchemaParameters.ARROW_TYPE
            + " to name the Arrow timestamp type, e.g. timestamp[us, tz=UTC], but it is "
            + (declared == null ? "missing" : "'" + declared + "'")
            + "; keep the schema parameters the source connector wrote (a converter with"
            + " schemas, no transform that rebuilds the field schema)");
  }

  /** The type named by the {@code cq.arrow.type} parameter, checked against the Connect type. */
  private ArrowType declaredType(Map<String, String> params, Schema schema, String path) {
    String name = params.get(SchemaParameters.ARROW_TYPE);
    if (name == null) {
      return null;
    }
    ArrowType type;
    try {
      type = ArrowTypeNames.parse(name);
    } catch (IllegalArgumentException e) {
      throw error(
          path,
          schema,
          "its parameter "
              + SchemaParameters.ARROW_TYPE
              + "="
              + name
              + " is not an Arrow type name");
    }
    Schema.Type expected = connectType(type);
    if (expected != schema.type()) {
      throw error(
          path,
          schema,
          "its parameter "
              + SchemaParameters.ARROW_TYPE
              + "="
              + name
              + " needs Connect type "
              + expected);
    }
    return type;
  }

  /** The Connect type {@link ConnectSchemas} uses for an Arrow type. */
  private static Schema.Type connectType(ArrowType type) {
    switch (type.getTypeID()) {
      case Int:
        {
          ArrowType.Int t = (ArrowType.Int) type;
          int bits = t.getIsSigned() ? t.getBitWidth() : t.getBitWidth() * 2;
          switch (bits) {
            case 8:
              return Schema.Type.INT8;
            case 16:
              return Schema.Type.INT16;
            case 32:
              return Schema.Type.INT32;
            case 64:
              return Schema.Type.INT64;
            default:
              return Schema.Type.BYTES; // uint64 is a Connect Decimal
          }
        }
      case FloatingPoint:
        return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.DOUBLE
            ? Schema.Type.FLOAT64
            : Schema.Type.FLOAT32;
      case Utf8:
      case LargeUtf8:
        return Schema.Type.STRING;
      case Binary:
      case LargeBinary:
      case FixedSizeBinary:
      case Decimal:
        return Schema.Type.BYTES;
      case Date:
        return Schema.Type.INT32;
      case Time:
        return ((ArrowType.Time) type).getBitWidth() == 32 ? Schema.Type.INT32 : Schema.Type.INT64;
      case Timestamp:
      case Duration:
        return Schema.Type.INT64;
      case Interval:
        return ((ArrowType.Interval) type).getUnit()
                == org.apache.arrow.vector.types.IntervalUnit.YEAR_MONTH
            ? Schema.Type.INT32
            : Schema.Type.STRUCT;
      case List:
      case LargeList:
      case FixedSizeList:
        return Schema.Type.ARRAY;
      case Map:
        return Schema.Type.MAP;
      default:
        return Schema.Type.STRUCT;
    }
  }

  private ArrowType defaultType(Schema schema, String path) {
    String logical = schema.name();
    switch (schema.type()) {
      case INT8:
        return new ArrowType.Int(8, true);
      case INT16:
        return new ArrowType.Int(16, true);
      case INT32:
        if (Date.LOGICAL_NAME.equals(logical)) {
          return new ArrowType.Date(DateUnit.DAY);
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
          return new ArrowType.Time(TimeUnit.MILLISECOND, 32);
        }
        return new ArrowType.Int(32, true);
      case INT64:
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
          return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        }
        return new ArrowType.Int(64, true);
      case FLOAT32:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT64:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case BOOLEAN:
        return ArrowType.Bool.INSTANCE;
      case STRING:
        return ArrowType.Utf8.INSTANCE;
      case BYTES:
        if (Decimal.LOGICAL_NAME.equals(logical)) {
          return decimal(schema, path);
        }
        return ArrowType.Binary.INSTANCE;
      case ARRAY:
        return ArrowType.List.INSTANCE;
      case MAP:
        return new ArrowType.Map(false);
      case STRUCT:
        return ArrowType.Struct.INSTANCE;
      default:
        throw error(path, schema, "Connect type " + schema.type() + " has no Arrow mapping");
    }
  }

  private ArrowType decimal(Schema schema, String path) {
    Map<String, String> params = schema.parameters() == null ? Map.of() : schema.parameters();
    try {
      int scale = Integer.parseInt(params.getOrDefault(SchemaParameters.DECIMAL_SCALE, "0"));
      String precision = params.get(SchemaParameters.DECIMAL_PRECISION);
      return new ArrowType.Decimal(
          precision == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(precision), scale, 128);
    } catch (NumberFormatException e) {
      throw error(path, schema, "its decimal scale or precision parameter is not a number");
    }
  }

  private DataException error(String path, Schema schema, String why) {
    return new DataException(
        "Table '"
            + table
            + "' column '"
            + path
            + "' (Connect schema "
            + schema.type()
            + (schema.name() == null ? "" : " " + schema.name())
            + ") cannot be mapped to Arrow: "
            + why);
  }
}
