package io.cqconnect.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The schedule keys of the source connector beside {@code sync.interval.ms}: the cron schedule
 * ({@code sync.schedule}) and the periodic full refresh of incremental tables ({@code
 * incremental.full.refresh.interval.ms}); {@link SourceConfig} holds their typed getters.
 */
public final class SourceScheduleKeys {

  public static final String SYNC_SCHEDULE_CONFIG = "sync.schedule";
  public static final String SYNC_SCHEDULE_DOC =
      "A cron expression (Quartz format: seconds minutes hours day-of-month month day-of-week"
          + " [year]) at whose fire times syncs start, for example '0 0 2 * * ?' for every day at"
          + " 02:00; instead of sync.interval.ms (setting both is an error). A sync still running"
          + " at a fire time is never joined by a second one: that fire time is skipped, logged"
          + " and counted (syncs-skipped-total). The last committed sync's start is kept in the"
          + " Connect offsets: a task (re)started after a missed fire time syncs at once, otherwise"
          + " at the next fire time. Empty: sync.interval.ms decides.";
  public static final String SYNC_SCHEDULE_DISPLAY = "Sync schedule (cron)";
  public static final String SYNC_SCHEDULE_DEFAULT = "";

  public static final String SYNC_SCHEDULE_TIMEZONE_CONFIG = "sync.schedule.timezone";
  public static final String SYNC_SCHEDULE_TIMEZONE_DOC =
      "Time zone of sync.schedule, as a region ID such as Europe/Berlin or an offset such as"
          + " +02:00.";
  public static final String SYNC_SCHEDULE_TIMEZONE_DISPLAY = "Sync schedule time zone";
  public static final String SYNC_SCHEDULE_TIMEZONE_DEFAULT = "UTC";

  public static final String FULL_REFRESH_INTERVAL_MS_CONFIG =
      "incremental.full.refresh.interval.ms";
  public static final String FULL_REFRESH_INTERVAL_MS_DOC =
      "Every this many ms, a sync reads the incremental tables from scratch: the plugin is handed"
          + " no cursors (state.table.name is required), its end-of-sync markers carry"
          + " cq.delete.stale=true, so a sink in write.mode=overwrite-delete-stale removes the rows"
          + " gone upstream, and the cursors it writes become the committed ones (they end where"
          + " an incremental sync would). The first sync whose start is at least this long after"
          + " the last committed full refresh is one; a task with none recorded (a new connector,"
          + " the key just set, other tables assigned) refreshes on its next sync. The last full"
          + " refresh is kept in the Connect offsets with the sync's start, so a restart neither"
          + " adds nor skips one. Counted in full-refreshes-total. 0: never (incremental tables"
          + " resume from their cursors, as with the CloudQuery CLI).";
  public static final String FULL_REFRESH_INTERVAL_MS_DISPLAY =
      "Full refresh interval of incremental tables (ms)";
  public static final long FULL_REFRESH_INTERVAL_MS_DEFAULT = 0L;

  private SourceScheduleKeys() {}

  /** Adds the schedule keys to {@code def} in {@code group} from {@code order} on. */
  static ConfigDef define(ConfigDef def, String group, int order) {
    return def.define(
            SYNC_SCHEDULE_CONFIG,
            Type.STRING,
            SYNC_SCHEDULE_DEFAULT,
            cronValidator(),
            Importance.MEDIUM,
            SYNC_SCHEDULE_DOC,
            group,
            order,
            Width.MEDIUM,
            SYNC_SCHEDULE_DISPLAY)
        .define(
            SYNC_SCHEDULE_TIMEZONE_CONFIG,
            Type.STRING,
            SYNC_SCHEDULE_TIMEZONE_DEFAULT,
            zoneValidator(),
            Importance.LOW,
            SYNC_SCHEDULE_TIMEZONE_DOC,
            group,
            order + 1,
            Width.SHORT,
            SYNC_SCHEDULE_TIMEZONE_DISPLAY)
        .define(
            FULL_REFRESH_INTERVAL_MS_CONFIG,
            Type.LONG,
            FULL_REFRESH_INTERVAL_MS_DEFAULT,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            FULL_REFRESH_INTERVAL_MS_DOC,
            group,
            order + 2,
            Width.SHORT,
            FULL_REFRESH_INTERVAL_MS_DISPLAY);
  }

  /**
   * Cross-field rules: a cron schedule and an explicit {@code sync.interval.ms} exclude each other;
   * a full refresh interval needs a state table.
   */
  static void validate(Map<String, String> props, ConfigProblems problems) {
    Long refresh = ConfigProps.parseLong(props, FULL_REFRESH_INTERVAL_MS_CONFIG);
    if (refresh != null
        && refresh > 0
        && ConfigProps.trimmed(props, SourceStateKeys.STATE_TABLE_NAME_CONFIG).isEmpty()) {
      problems.add(
          FULL_REFRESH_INTERVAL_MS_CONFIG,
          FULL_REFRESH_INTERVAL_MS_CONFIG
              + " has no effect without state.table.name: without a state backend every sync"
              + " already reads incremental tables from scratch and deletes stale rows; set"
              + " state.table.name or remove it");
    }
    if (ConfigProps.trimmed(props, SYNC_SCHEDULE_CONFIG).isEmpty()
        || !props.containsKey(SourceConfig.SYNC_INTERVAL_MS_CONFIG)) {
      return;
    }
    String message =
        "set either sync.schedule (cron) or sync.interval.ms, not both: remove one of them";
    problems.add(SYNC_SCHEDULE_CONFIG, message);
    problems.add(SourceConfig.SYNC_INTERVAL_MS_CONFIG, message);
  }

  /** The zone of {@code sync.schedule.timezone}. */
  static ZoneId zone(String value) {
    try {
      return ZoneId.of(value.trim());
    } catch (DateTimeException e) {
      throw new ConfigException(
          SYNC_SCHEDULE_TIMEZONE_CONFIG,
          value,
          "not a time zone: use a region ID such as UTC or Europe/Berlin, or an offset such as"
              + " +02:00");
    }
  }

  private static ConfigDef.Validator cronValidator() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        String text = ConfigValidators.text(value);
        if (!text.isBlank()) {
          SyncCron.parse(text, ZoneId.of("UTC"));
        }
      }

      @Override
      public String toString() {
        return "empty, or a Quartz cron expression such as " + SyncCron.EXAMPLE;
      }
    };
  }

  private static ConfigDef.Validator zoneValidator() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        zone(ConfigValidators.text(value));
      }

      @Override
      public String toString() {
        return "a time zone ID (UTC, Europe/Berlin, +02:00)";
      }
    };
  }
}
