package io.cqconnect.arrow;

/**
 * Names and values of the CloudQuery metadata keys, extension types and meta columns carried in
 * Arrow schemas.
 *
 * <p>Boolean metadata values are the strings {@code "true"} and {@code "false"}; an absent key
 * means {@code false}, because the CloudQuery CLI deletes some keys instead of writing {@code
 * "false"}.
 */
public final class CqMetadata {

  /** The string CloudQuery writes for a true boolean metadata value. */
  public static final String TRUE = "true";

  /** The string CloudQuery writes for a false boolean metadata value. */
  public static final String FALSE = "false";

  // Schema-level (table) keys.

  /** Table name; required on every schema and record. */
  public static final String TABLE_NAME = "cq:table_name";

  /** Table description (may be empty). */
  public static final String TABLE_DESCRIPTION = "cq:table_description";

  /** Table title (may be empty). */
  public static final String TABLE_TITLE = "cq:table_title";

  /** Name of the primary-key constraint (may be empty). */
  public static final String CONSTRAINT_NAME = "cq:extension:constraint_name";

  /** Parent table name of a child table. */
  public static final String TABLE_DEPENDS_ON = "cq:table_depends_on";

  /** {@code "true"} when the table is paid. */
  public static final String TABLE_PAID = "cq:table_paid";

  /** JSON array of permissions the table needs. */
  public static final String TABLE_PERMISSIONS_NEEDED = "cq:table_permissions_needed";

  /** JSON array of sensitive column names. */
  public static final String TABLE_SENSITIVE_COLUMNS = "cq:table_sensitive_columns";

  /**
   * {@code "true"} on an incremental table (schema level) or an incremental cursor column (field
   * level): CloudQuery uses the same key string at both levels.
   */
  public static final String INCREMENTAL = "cq:extension:incremental";

  // Field-level (column) keys.

  /** {@code "true"} when the column is part of the primary key. */
  public static final String PRIMARY_KEY = "cq:extension:primary_key";

  /** {@code "true"} when the column is unique. */
  public static final String UNIQUE = "cq:extension:unique";

  /** {@code "true"} when the column feeds a deterministic {@code _cq_id}. */
  public static final String PRIMARY_KEY_COMPONENT = "cq:extension:primary_key_component";

  /** Optional type-schema string (Go SDK only). */
  public static final String TYPE_SCHEMA = "cq:extension:type_schema";

  // Arrow extension types.

  /** Arrow's field metadata key naming an extension type. */
  public static final String EXTENSION_NAME = "ARROW:extension:name";

  /** Arrow's field metadata key holding an extension type's serialized parameters. */
  public static final String EXTENSION_METADATA = "ARROW:extension:metadata";

  /** Extension name of UUID columns (storage FixedSizeBinary(16)). */
  public static final String EXT_UUID = "uuid";

  /** Exact extension metadata of UUID columns. */
  public static final String EXT_UUID_METADATA = "uuid-serialized";

  /** Extension name of JSON columns (storage Binary holding UTF-8 JSON). */
  public static final String EXT_JSON = "json";

  /** Exact extension metadata of JSON columns. */
  public static final String EXT_JSON_METADATA = "json-serialized";

  /** Extension name of IP network columns (storage Binary holding the text form). */
  public static final String EXT_INET = "inet";

  /** Exact extension metadata of IP network columns. */
  public static final String EXT_INET_METADATA = "inet-serialized";

  /** Extension name of MAC address columns (storage Binary holding raw address bytes). */
  public static final String EXT_MAC = "mac";

  /** Exact extension metadata of MAC address columns. */
  public static final String EXT_MAC_METADATA = "mac-serialized";

  // Meta columns.

  /** Row id (uuid); the primary key only when the table declares no other. */
  public static final String CQ_ID = "_cq_id";

  /** Parent row id (uuid, nullable). */
  public static final String CQ_PARENT_ID = "_cq_parent_id";

  /** Multiplexed client id, when the plugin adds it. */
  public static final String CQ_CLIENT_ID = "_cq_client_id";

  /** Sync start time added by the CLI (timestamp[us, UTC]). */
  public static final String CQ_SYNC_TIME = "_cq_sync_time";

  /** Source name added by the CLI. */
  public static final String CQ_SOURCE_NAME = "_cq_source_name";

  /** Sync group id added by the CLI when a destination sets {@code sync_group_id}. */
  public static final String CQ_SYNC_GROUP_ID = "_cq_sync_group_id";

  private CqMetadata() {}

  /**
   * Returns whether a metadata value means true (exactly {@code "true"}, as CloudQuery reads it).
   */
  public static boolean isTrue(String value) {
    return TRUE.equals(value);
  }
}
