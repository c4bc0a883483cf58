package io.cqconnect.arrow;

/**
 * Names of the Kafka Connect schema parameters that make the Arrow to Connect mapping reversible.
 *
 * <p>Arrow field and schema metadata whose keys start with {@code cq:} or {@code ARROW:} are copied
 * to Connect parameters under the same key (for example {@code cq:extension:primary_key} or {@code
 * ARROW:extension:name}); any other metadata key {@code k} is stored as {@code arrow.metadata.k}.
 * {@link #ARROW_TYPE} names the Arrow type whenever the Connect type alone would map back to a
 * different Arrow type.
 */
public final class SchemaParameters {

  /**
   * The exact Arrow type when it is not the default for the Connect type, for example {@code
   * uint64}, {@code timestamp[ns, tz=UTC]}, {@code time64[us]}, {@code large_utf8} or {@code
   * fixed_size_list[3]}.
   */
  public static final String ARROW_TYPE = "cq.arrow.type";

  /** Name of a list's element field when it is not {@code item}. */
  public static final String LIST_ITEM_NAME = "cq.arrow.list.item";

  /** Name of a map's entries field when it is not {@code entries}. */
  public static final String MAP_ENTRIES_NAME = "cq.arrow.map.entries";

  /** Name of a map's key field when it is not {@code key}. */
  public static final String MAP_KEY_NAME = "cq.arrow.map.key";

  /** Name of a map's value field when it is not {@code value}. */
  public static final String MAP_VALUE_NAME = "cq.arrow.map.value";

  /**
   * The Arrow name of a column or struct child whose Connect field has another name because the
   * Arrow name is not a valid Avro name (see {@link FieldNames}).
   */
  public static final String FIELD_NAME = "cq.arrow.name";

  /** Prefix of Arrow metadata keys that are neither {@code cq:} nor {@code ARROW:} keys. */
  public static final String METADATA_PREFIX = "arrow.metadata.";

  /** Parameter Confluent's Avro converter reads for a decimal's precision. */
  public static final String DECIMAL_PRECISION = "connect.decimal.precision";

  /** Parameter Kafka Connect's {@code Decimal} logical type uses for the scale. */
  public static final String DECIMAL_SCALE = "scale";

  private SchemaParameters() {}

  /** The Connect parameter name for an Arrow metadata key. */
  public static String parameterFor(String metadataKey) {
    return isVerbatim(metadataKey) ? metadataKey : METADATA_PREFIX + metadataKey;
  }

  /**
   * The Arrow metadata key a Connect parameter stands for, or null when the parameter is not Arrow
   * metadata (for example {@link #ARROW_TYPE} or a Connect logical type's own parameter).
   */
  public static String metadataFor(String parameter) {
    if (isVerbatim(parameter)) {
      return parameter;
    }
    if (parameter.startsWith(METADATA_PREFIX)) {
      return parameter.substring(METADATA_PREFIX.length());
    }
    return null;
  }

  private static boolean isVerbatim(String key) {
    return key.startsWith("cq:") || key.startsWith("ARROW:");
  }
}
