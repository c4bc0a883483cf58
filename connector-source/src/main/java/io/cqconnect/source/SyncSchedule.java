package io.cqconnect.source;

import io.cqconnect.config.SyncCron;
import java.time.Duration;
import java.time.Instant;

/**
 * When a task's syncs start: every {@code sync.interval.ms} (start to start), or at the fire times
 * of a {@code sync.schedule} cron expression. Syncs of one task never overlap: the sync thread runs
 * one at a time and asks for the next start when the previous one is committed; cron fire times
 * that passed meanwhile are skipped and counted.
 *
 * <p>The first sync of a task honours the last committed sync's start ({@link ScheduleOffset}), so
 * a restart within the interval, or before the next fire time, does not sync again.
 */
interface SyncSchedule {

  /** A planned sync start; {@code skipped} fire times passed while the previous sync ran. */
  record Next(Instant at, int skipped) {}

  /** The schedule of {@code sync.schedule} when set, else of {@code sync.interval.ms}. */
  static SyncSchedule of(Duration interval, SyncCron cron) {
    return cron != null ? new Cron(cron) : new Interval(interval);
  }

  /**
   * When the task's first sync starts, given when its last committed sync started (null: none
   * known); null when never.
   */
  Instant first(Instant lastStart, Instant now);

  /**
   * When the next sync starts after one that started at {@code started} was committed at {@code
   * ended}; null when there is none (sync once).
   */
  Next next(Instant started, Instant ended);

  /** Whether syncs repeat; only then is each sync's start recorded in the offsets. */
  boolean repeats();

  /** Syncs every {@code interval}, start to start; zero syncs once at every task start. */
  record Interval(Duration interval) implements SyncSchedule {

    @Override
    public Instant first(Instant lastStart, Instant now) {
      if (interval.isZero() || lastStart == null) {
        return now;
      }
      // A start in the future (another worker's clock ahead of ours) waits one interval at most.
      Instant due = (lastStart.isAfter(now) ? now : lastStart).plus(interval);
      return due.isAfter(now) ? due : now;
    }

    @Override
    public Next next(Instant started, Instant ended) {
      if (interval.isZero()) {
        return null;
      }
      Instant due = started.plus(interval);
      return new Next(due.isAfter(ended) ? due : ended, 0);
    }

    @Override
    public boolean repeats() {
      return !interval.isZero();
    }

    @Override
    public String toString() {
      return "sync.interval.ms=" + interval.toMillis();
    }
  }

  /** Syncs at the fire times of a cron expression. */
  record Cron(SyncCron cron) implements SyncSchedule {

    /**
     * A fire time missed since the last committed sync (the task was down, or that sync failed)
     * syncs at once; with no sync known the first one waits for the next fire time.
     */
    @Override
    public Instant first(Instant lastStart, Instant now) {
      if (lastStart == null) {
        return cron.nextAfter(now);
      }
      Instant due = cron.nextAfter(lastStart.isAfter(now) ? now : lastStart);
      return due == null || due.isAfter(now) ? due : now;
    }

    @Override
    public Next next(Instant started, Instant ended) {
      Instant due = cron.nextAfter(started);
      int skipped = 0;
      while (due != null && !due.isAfter(ended)) {
        skipped++;
        due = cron.nextAfter(due);
      }
      return due == null ? null : new Next(due, skipped);
    }

    @Override
    public boolean repeats() {
      return true;
    }

    @Override
    public String toString() {
      return "sync.schedule=" + cron;
    }
  }
}
