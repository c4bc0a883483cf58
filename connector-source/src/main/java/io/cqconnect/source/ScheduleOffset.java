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
 * the start to the work it covered: a task whose assignment changed syncs at once. With {@code
 * incremental.full.refresh.interval.ms} the offset also holds {@code "full_refresh_ms"}, the start
 * of the last committed full refresh ({@link FullRefresh}); an offset without it (written before
 * the field existed, or before the setting was turned on) means none is known.
 */
final class ScheduleOffset {

  private static final Logger log = LoggerFactory.getLogger(ScheduleOffset.class);

  static final String SCHEDULE_FIELD = "schedule";
  static final String STARTED_FIELD = "started_ms";
  static final String SCOPE_FIELD = "scope";
  static final String FULL_REFRESH_FIELD = "full_refresh_ms";

  /**
   * What the offset of a task's last committed sync says.
   *
   * @param started that sync's start; null when it covered other work (the task syncs at once)
   * @param fullRefresh the start of the last committed full refresh of this work; null when none is
   *     known
   */
  record Last(Instant started, Instant fullRefresh) {
    static final Last NONE = new Last(null, null);
  }

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
    return offset(started, scope, null);
  }

  /** The offset of a sync; {@code fullRefresh} (the last full refresh) is left out when null. */
  static Map<String, Object> offset(Instant started, String scope, Instant fullRefresh) {
    Map<String, Object> offset = new LinkedHashMap<>();
    offset.put(STARTED_FIELD, started.toEpochMilli());
    offset.put(SCOPE_FIELD, scope);
    if (fullRefresh != null) {
      offset.put(FULL_REFRESH_FIELD, fullRefresh.toEpochMilli());
    }
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
    Object refresh = offset.get(FULL_REFRESH_FIELD);
    if (refresh != null && (!(refresh instanceof Number) || ((Number) refresh).longValue() < 0)) {
      throw new ConnectException(
          "Schedule offset: field '"
              + FULL_REFRESH_FIELD
              + "' must be the last full refresh's start in epoch milliseconds, or absent (no"
              + " full refresh known: the next sync is one), got "
              + refresh);
    }
    return Instant.ofEpochMilli(((Number) started).longValue());
  }

  /** The last full refresh of a checked offset ({@link #startedOf}), or null when absent. */
  private static Instant fullRefreshOf(Map<String, ?> offset) {
    Object refresh = offset.get(FULL_REFRESH_FIELD);
    return refresh == null ? null : Instant.ofEpochMilli(((Number) refresh).longValue());
  }

  /**
   * The start of the task's last committed sync of {@code scope}, or null when there is none, it
   * covered other work, or it cannot be read (the task then syncs at once, as before).
   */
  static Instant lastStart(OffsetStorageReader offsets, String source, int task, String scope) {
    return last(offsets, source, task, scope).started();
  }

  /**
   * The task's last committed sync of {@code scope} and its last full refresh; {@link Last#NONE}
   * when there is none, it covered other work, or it cannot be read (the task then syncs, and
   * refreshes when configured to, at once).
   */
  static Last last(OffsetStorageReader offsets, String source, int task, String scope) {
    Map<String, Object> offset;
    try {
      offset = offsets.offset(partition(source, task));
    } catch (RuntimeException e) {
      log.warn(
          "Source '{}' task {}: reading the start of its last sync failed, so it syncs at once: {}",
          source,
          task,
          e.getMessage());
      return Last.NONE;
    }
    if (offset == null) {
      return Last.NONE;
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
        return Last.NONE;
      }
      return new Last(started, fullRefreshOf(offset));
    } catch (ConnectException e) {
      log.warn("Source '{}' task {}: {}; it syncs at once", source, task, e.getMessage());
      return Last.NONE;
    }
  }
}
