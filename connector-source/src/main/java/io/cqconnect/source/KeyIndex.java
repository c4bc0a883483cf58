package io.cqconnect.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The list of cursor keys a task has committed, kept as a Connect offset of its own so a restarted
 * task can enumerate the keys whose offsets it must read (Connect cannot list partitions).
 *
 * <p>Each task writes its own index partition ({@code index = task number}) holding every key it
 * knows (the ones it loaded plus the ones it committed), so concurrent tasks never overwrite each
 * other's entries and shrinking the task count folds the old indexes into task 0's. A lost entry
 * only makes the plugin start that key from scratch (a re-fetch), never skips rows.
 */
final class KeyIndex {

  /** How many index partitions a task reads on start: the highest supported {@code tasks.max}. */
  static final int MAX_TASKS = 256;

  static final String INDEX_FIELD = "index";
  static final String KEYS_FIELD = "keys";
  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyIndex() {}

  /**
   * The index partition of a task, its keys in the order Connect's REST API writes them: Connect
   * reads a PATCHed partition into a {@link HashMap} before storing it, and the stored bytes must
   * be the ones the task reads.
   */
  static Map<String, Object> partition(String source, String stateTable, int task) {
    return fill(new HashMap<>(), source, stateTable, task);
  }

  /**
   * The index partition as tasks wrote it before 2026-12 (keys in insertion order, which Connect
   * stores as other bytes): still read, so an upgraded task finds the keys it knew.
   */
  static Map<String, Object> legacyPartition(String source, String stateTable, int task) {
    return fill(new LinkedHashMap<>(), source, stateTable, task);
  }

  private static Map<String, Object> fill(
      Map<String, Object> partition, String source, String stateTable, int task) {
    partition.put(CursorOffset.FORMAT_FIELD, CursorOffset.FORMAT);
    partition.put(CursorOffset.SOURCE_FIELD, source);
    partition.put(CursorOffset.STATE_TABLE_FIELD, stateTable);
    partition.put(INDEX_FIELD, task);
    return partition;
  }

  /**
   * Every index partition a restarted task should read, in one layout. Read each layout in a call
   * of its own: the two are equal as maps, so one answer would hide the other.
   */
  static List<Map<String, Object>> allPartitions(String source, String stateTable, boolean legacy) {
    List<Map<String, Object>> partitions = new ArrayList<>(MAX_TASKS);
    for (int task = 0; task < MAX_TASKS; task++) {
      partitions.add(
          legacy ? legacyPartition(source, stateTable, task) : partition(source, stateTable, task));
    }
    return partitions;
  }

  static boolean isIndexPartition(Map<String, ?> partition) {
    return partition != null && partition.containsKey(INDEX_FIELD);
  }

  static Map<String, Object> offset(Collection<String> keys) {
    try {
      Map<String, Object> offset = new LinkedHashMap<>();
      offset.put(KEYS_FIELD, JSON.writeValueAsString(new TreeSet<>(keys)));
      return offset;
    } catch (JsonProcessingException e) {
      throw new ConnectException("Cannot encode the cursor key index", e);
    }
  }

  /**
   * Reads the keys of one index offset.
   *
   * @throws ConnectException when the offset is not a JSON array of strings under {@code keys}
   */
  static Set<String> keys(Map<String, ?> offset) {
    if (offset == null) {
      return Set.of();
    }
    Object keys = offset.get(KEYS_FIELD);
    if (!(keys instanceof String)) {
      throw new ConnectException(
          "Cursor key index: field 'keys' must be a JSON array of strings, got " + keys);
    }
    try {
      return new TreeSet<>(JSON.readValue((String) keys, new TypeReference<List<String>>() {}));
    } catch (JsonProcessingException e) {
      throw new ConnectException(
          "Cursor key index: field 'keys' must be a JSON array of strings, got " + keys, e);
    }
  }
}
