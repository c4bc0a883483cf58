package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.config.SyncCron;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When syncs start, given the last committed sync's start: across restarts and long syncs. */
class SyncScheduleTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final SyncSchedule HOURLY = SyncSchedule.of(Duration.ofHours(1), null);
  private static final SyncSchedule EVERY_15_MIN =
      SyncSchedule.of(Duration.ZERO, SyncCron.parse("0 */15 * * * ?", ZoneId.of("UTC")));

  @Test
  void shouldWaitForTheRestOfTheIntervalWhenRestartedWithinIt() {
    assertThat(HOURLY.first(T0, T0.plusSeconds(600))).isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void shouldSyncAtOnceWhenRestartedAfterTheInterval() {
    Instant now = T0.plus(Duration.ofMinutes(61));
    assertThat(HOURLY.first(T0, now)).isEqualTo(now);
  }

  @Test
  void shouldSyncAtOnceWithoutAKnownLastStart() {
    assertThat(HOURLY.first(null, T0)).isEqualTo(T0);
  }

  @Test
  void shouldWaitAtMostOneIntervalWhenTheLastStartIsInTheFuture() {
    // Another worker's clock ahead of ours wrote the start.
    assertThat(HOURLY.first(T0.plus(Duration.ofDays(1)), T0))
        .isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void shouldSyncOnceAtEveryTaskStartWithAZeroInterval() {
    SyncSchedule once = SyncSchedule.of(Duration.ZERO, null);
    assertThat(once.repeats()).isFalse();
    assertThat(once.first(T0, T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(1));
    assertThat(once.next(T0, T0.plusSeconds(5))).isNull();
  }

  @Test
  void shouldStartTheNextSyncOneIntervalAfterTheStartOrAtOnceWhenTheSyncTookLonger() {
    assertThat(HOURLY.next(T0, T0.plusSeconds(60)))
        .isEqualTo(new SyncSchedule.Next(T0.plus(Duration.ofHours(1)), 0));
    Instant late = T0.plus(Duration.ofMinutes(75));
    assertThat(HOURLY.next(T0, late)).isEqualTo(new SyncSchedule.Next(late, 0));
  }

  @Test
  void shouldWaitForTheFirstFireTimeWithoutAKnownLastStart() {
    assertThat(EVERY_15_MIN.first(null, T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(900));
  }

  @Test
  void shouldWaitForTheNextFireTimeWhenRestartedBeforeIt() {
    assertThat(EVERY_15_MIN.first(T0, T0.plusSeconds(300))).isEqualTo(T0.plusSeconds(900));
  }

  @Test
  void shouldCatchUpAtOnceWhenAFireTimePassedSinceTheLastCommittedSync() {
    Instant now = T0.plus(Duration.ofMinutes(40));
    assertThat(EVERY_15_MIN.first(T0, now)).isEqualTo(now);
  }

  @Test
  void shouldSkipAndCountTheFireTimesASyncRanPast() {
    SyncSchedule.Next next = EVERY_15_MIN.next(T0, T0.plus(Duration.ofMinutes(35)));
    assertThat(next).isEqualTo(new SyncSchedule.Next(T0.plus(Duration.ofMinutes(45)), 2));
    assertThat(EVERY_15_MIN.next(T0, T0.plusSeconds(30)))
        .isEqualTo(new SyncSchedule.Next(T0.plusSeconds(900), 0));
  }

  @Test
  void shouldPlanNothingForACronWithoutFutureFireTimes() {
    SyncSchedule past =
        SyncSchedule.of(Duration.ZERO, SyncCron.parse("0 0 0 1 1 ? 2020", ZoneId.of("UTC")));
    assertThat(past.first(null, T0)).isNull();
    assertThat(past.next(T0, T0)).isNull();
  }
}
