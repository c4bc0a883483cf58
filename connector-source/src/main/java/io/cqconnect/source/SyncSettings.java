package io.cqconnect.source;

import io.cqconnect.config.SourceTaskConfig;
import io.cqconnect.config.SyncCron;
import io.cqconnect.config.TimestampPrecision;
import java.time.Duration;
import java.util.List;

/**
 * What one task's sync thread needs to know, resolved from the task config once in {@code start}.
 *
 * @param source the CloudQuery source name (headers, offsets)
 * @param tables table patterns or names this task syncs
 * @param skipTables patterns to skip
 * @param skipDependentTables the CLI's {@code skip_dependent_tables}
 * @param deterministicCqId the CLI's {@code deterministic_cq_id}
 * @param shardNum 1-based shard of this task, or 0 when not sharded
 * @param shardTotal number of shards, or 0 when not sharded
 * @param stateTable the state table name ({@code backend_options.table_name}), empty when the
 *     connector keeps no cursors
 * @param interval time between the starts of two syncs; zero syncs once
 * @param maxRestarts failed attempts in a row after which the task fails
 * @param initialBackoff first wait before a retry, doubled each time up to {@code maxBackoff}
 * @param maxBackoff longest wait between retries
 * @param timestampPrecision how timestamp columns become Connect values
 * @param cron the {@code sync.schedule}, which replaces {@code interval}; null when unset
 * @param fullRefresh when incremental tables are read from scratch ({@code
 *     incremental.full.refresh.interval.ms}); only with a state table
 */
record SyncSettings(
    String source,
    List<String> tables,
    List<String> skipTables,
    boolean skipDependentTables,
    boolean deterministicCqId,
    int shardNum,
    int shardTotal,
    String stateTable,
    Duration interval,
    int maxRestarts,
    Duration initialBackoff,
    Duration maxBackoff,
    TimestampPrecision timestampPrecision,
    SyncCron cron,
    FullRefresh fullRefresh) {

  /** The settings of the task whose config this is. */
  static SyncSettings from(SourceTaskConfig config) {
    List<String> tables = config.taskTables().isEmpty() ? config.tables() : config.taskTables();
    SourceTaskConfig.Shard shard = config.shard().orElse(new SourceTaskConfig.Shard(0, 0));
    return new SyncSettings(
        config.sourceName(),
        tables,
        config.skipTables(),
        config.skipDependentTables(),
        config.deterministicCqId(),
        shard.num(),
        shard.total(),
        config.stateTableName().orElse(""),
        config.syncInterval(),
        config.pluginRestartMaxAttempts(),
        config.pluginRestartBackoffInitial(),
        config.pluginRestartBackoffMax(),
        config.timestampPrecision(),
        config.syncSchedule().orElse(null),
        new FullRefresh(config.incrementalFullRefreshInterval()));
  }

  /** When syncs start: {@code sync.schedule} when set, else {@code sync.interval.ms}. */
  SyncSchedule schedule() {
    return SyncSchedule.of(interval, cron);
  }

  /**
   * What the task syncs, recorded with each sync's start ({@link ScheduleOffset}): a task whose
   * tables, skipped tables or shard changed does not wait for a start that covered other work.
   */
  String scheduleScope() {
    return "tables="
        + String.join(",", tables)
        + ";skip="
        + String.join(",", skipTables)
        + (shardTotal > 0 ? ";shard=" + shardNum + "/" + shardTotal : "");
  }

  /**
   * The name rows are written under ({@code cq.source}, so {@code _cq_source_name} and the scope of
   * delete-stale): the source name, or {@code <name>_<num>_<total>} for a shard, as the CloudQuery
   * CLI names a sharded sync so that each shard deletes only its own stale rows.
   */
  String rowSource() {
    return shardTotal > 0 ? source + "_" + shardNum + "_" + shardTotal : source;
  }

  /**
   * Whether the task records its syncs' starts ({@link ScheduleOffset}): when syncs repeat, or when
   * the last full refresh must survive a restart.
   */
  boolean recordsSchedule() {
    return schedule().repeats() || keepsState() && fullRefresh.enabled();
  }

  boolean keepsState() {
    return stateTable != null && !stateTable.isEmpty();
  }

  /** The wait before retry number {@code attempt} (1-based): exponential, capped. */
  Duration backoff(int attempt) {
    long millis = initialBackoff.toMillis();
    for (int i = 1; i < attempt && millis < maxBackoff.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
