package io.cqconnect.source;

import java.time.Duration;
import java.time.Instant;

/**
 * Which syncs read the incremental tables from scratch ({@code
 * incremental.full.refresh.interval.ms}). In such a sync the plugin is handed no cursors ({@link
 * SyncStateCapture}), the cursors it writes become the committed ones, and its end-of-sync markers
 * carry delete-stale ({@link CommitRecords}), so a sink in {@code overwrite-delete-stale} removes
 * the rows gone upstream. The last committed full refresh is kept in the task's schedule offset
 * ({@link ScheduleOffset}), so a restart neither adds nor skips one.
 *
 * @param interval time from one full refresh's start to the next; zero: never
 */
record FullRefresh(Duration interval) {

  static final FullRefresh NEVER = new FullRefresh(Duration.ZERO);

  boolean enabled() {
    return !interval.isZero() && !interval.isNegative();
  }

  /**
   * Whether the sync starting at {@code start} is a full refresh, given the start of the last
   * committed one ({@code last}, null when none is known: a new connector, the setting just turned
   * on, or a task that syncs other tables now, which all refresh at once). A {@code last} in the
   * future (another worker's clock ahead of ours) counts as {@code start}, so it delays the refresh
   * by one interval at most.
   */
  boolean due(Instant last, Instant start) {
    if (!enabled()) {
      return false;
    }
    if (last == null) {
      return true;
    }
    Instant from = last.isAfter(start) ? start : last;
    return !start.isBefore(from.plus(interval));
  }

  @Override
  public String toString() {
    return "incremental.full.refresh.interval.ms=" + interval.toMillis();
  }
}
