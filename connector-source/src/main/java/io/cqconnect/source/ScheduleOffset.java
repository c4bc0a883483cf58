package io.cqconnect.source;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a task's last committed sync started, kept as a Connect offset of its own so a restarted or
 * moved task waits for the rest of the interval (or the next cron fire time) instead of syncing
 * again at once: a rolling restart or a rebalance does not re-send every full-refresh table.
 *
 * <p>Partition {@code {"v":1,"source":<name>,"schedule":<task>}}, offset {@code
 * {"started_ms":<epoch ms>,"scope":<what the task syncs>}}, written with the records committing a
 * sync (so a failed or aborted sync never counts). The scope (tables, skipped tables, shard) ties
 * the start to the work it covered: a task whose assignment changed syncs at once.
 */
final class ScheduleOffset {

  private static final Logger log = LoggerFactory.getLogger(ScheduleOffset.class);

  static final String SCHEDULE_FIELD = "schedule";
  static final String STARTED_FIELD = "started_ms";
  static final String SCOPE_FIELD = "scope";

  private ScheduleOffset() {}

  /** The task's partition, in the key order Connect's REST API stores (see {@link KeyIndex}). */
  static Map<String, Object> partition(String source, int task) {
    Map<String, Object> partition = new HashMap<>();
    partition.put(CursorOffset.FORMAT_FIELD, CursorOffset.FORMAT);
    partition.put(CursorOffset.SOURCE_FIELD, source);
    partition.put(SCHEDULE_FIELD, task);
    return partition;
  }

  static Map<String, Object> offset(Instant started, String scope) {
    Map<String, Object> offset = new LinkedHashMap<>();
    offset.put(STARTED_FIELD, started.toEpochMilli());
    offset.put(SCOPE_FIELD, scope);
    return offset;
  }

  static boolean isSchedulePartition(Map<String, ?> partition) {
    return partition != null && partition.containsKey(SCHEDULE_FIELD);
  }

  /**
   * Checks an offset a user PATCHes.
   *
   * @throws ConnectException naming the field when the offset does not have the expected shape
   */
  static Instant startedOf(Map<String, ?> offset) {
    Object started = offset.get(STARTED_FIELD);
    if (!(started instanceof Number) || ((Number) started).longValue() < 0) {
      throw new ConnectException(
          "Schedule offset: field '"
              + STARTED_FIELD
              + "' must be the sync's start in epoch milliseconds, got "
              + started);
    }
    Object scope = offset.get(SCOPE_FIELD);
    if (!(scope instanceof String)) {
      throw new ConnectException(
          "Schedule offset: field '"
              + SCOPE_FIELD
              + "' must be a string (copy it from GET /connectors/NAME/offsets), got "
              + scope);
    }
    return Instant.ofEpochMilli(((Number) started).longValue());
  }

  /**
   * The start of the task's last committed sync of {@code scope}, or null when there is none, it
   * covered other work, or it cannot be read (the task then syncs at once, as before).
   */
  static Instant lastStart(OffsetStorageReader offsets, String source, int task, String scope) {
    Map<String, Object> offset;
    try {
      offset = offsets.offset(partition(source, task));
    } catch (RuntimeException e) {
      log.warn(
          "Source '{}' task {}: reading the start of its last sync failed, so it syncs at once: {}",
          source,
          task,
          e.getMessage());
      return null;
    }
    if (offset == null) {
      return null;
    }
    try {
      Instant started = startedOf(offset);
      if (!scope.equals(offset.get(SCOPE_FIELD))) {
        log.info(
            "Source '{}' task {}: its last sync covered other work ({}, now {}), so it syncs at"
                + " once",
            source,
            task,
            offset.get(SCOPE_FIELD),
            scope);
        return null;
      }
      return started;
    } catch (ConnectException e) {
      log.warn("Source '{}' task {}: {}; it syncs at once", source, task, e.getMessage());
      return null;
    }
  }
}
