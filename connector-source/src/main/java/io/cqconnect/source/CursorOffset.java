package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * One plugin cursor as a Connect source offset: the partition names the cursor key, the offset
 * holds its value and version (the same triple as a row of CloudQuery's state table).
 */
public record CursorOffset(
    String source, String stateTable, String key, String value, long version) {

  /** Format version of the partition map, so a later layout can be told apart. */
  public static final int FORMAT = 1;

  static final String FORMAT_FIELD = "v";
  static final String SOURCE_FIELD = "source";
  static final String STATE_TABLE_FIELD = "state_table";
  static final String KEY_FIELD = "key";
  static final String VALUE_FIELD = "value";
  static final String VERSION_FIELD = "version";

  /** The source partition of a cursor key. */
  public static Map<String, Object> partition(String source, String stateTable, String key) {
    Map<String, Object> partition = new LinkedHashMap<>();
    partition.put(FORMAT_FIELD, FORMAT);
    partition.put(SOURCE_FIELD, source);
    partition.put(STATE_TABLE_FIELD, stateTable);
    partition.put(KEY_FIELD, key);
    return partition;
  }

  public Map<String, Object> partition() {
    return partition(source, stateTable, key);
  }

  public Map<String, Object> offset() {
    Map<String, Object> offset = new LinkedHashMap<>();
    offset.put(VALUE_FIELD, value);
    offset.put(VERSION_FIELD, version);
    return offset;
  }

  public StateRow toRow() {
    return new StateRow(key, value, version);
  }

  /** True when the partition map has the shape of a cursor partition (not the key index). */
  static boolean isCursorPartition(Map<String, ?> partition) {
    return partition != null && partition.containsKey(KEY_FIELD);
  }

  /**
   * Reads a cursor back from Connect's offset maps.
   *
   * @throws ConnectException naming the field when the maps do not have the expected shape
   */
  public static CursorOffset fromMaps(Map<String, ?> partition, Map<String, ?> offset) {
    Object format = partition.get(FORMAT_FIELD);
    if (!(format instanceof Number) || ((Number) format).intValue() != FORMAT) {
      throw new ConnectException(
          "Cursor partition " + partition + ": field 'v' must be " + FORMAT + ", got " + format);
    }
    String source = requireString(partition, SOURCE_FIELD, "partition");
    String table = requireString(partition, STATE_TABLE_FIELD, "partition");
    String key = requireString(partition, KEY_FIELD, "partition");
    String value = requireString(offset, VALUE_FIELD, "offset of key '" + key + "'");
    Object version = offset.get(VERSION_FIELD);
    if (!(version instanceof Number) || ((Number) version).longValue() < 0) {
      throw new ConnectException(
          "Cursor offset of key '"
              + key
              + "': field 'version' must be a non-negative integer, got "
              + version);
    }
    return new CursorOffset(source, table, key, value, ((Number) version).longValue());
  }

  private static String requireString(Map<String, ?> map, String field, String where) {
    Object value = map.get(field);
    if (!(value instanceof String)) {
      throw new ConnectException(
          "Cursor " + where + ": field '" + field + "' must be a string, got " + value);
    }
    return (String) value;
  }
}
