package io.cqconnect.config;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import org.apache.kafka.common.config.ConfigException;
import org.quartz.CronExpression;

/**
 * A {@code sync.schedule} cron expression in its time zone: Quartz's format (seconds minutes hours
 * day-of-month month day-of-week [year]), the one Kafka Connect users know from other connectors.
 */
public final class SyncCron {

  /** The example every error message names. */
  public static final String EXAMPLE = "'0 0 2 * * ?' (every day at 02:00)";

  private final String expression;
  private final ZoneId zone;
  private final CronExpression cron;

  private SyncCron(String expression, ZoneId zone, CronExpression cron) {
    this.expression = expression;
    this.zone = zone;
    this.cron = cron;
  }

  /**
   * Parses {@code expression} in {@code zone}.
   *
   * @throws ConfigException naming {@code sync.schedule}, what is wrong and an example
   */
  public static SyncCron parse(String expression, ZoneId zone) {
    String trimmed = expression == null ? "" : expression.trim();
    try {
      CronExpression cron = new CronExpression(trimmed);
      cron.setTimeZone(TimeZone.getTimeZone(zone));
      return new SyncCron(trimmed, zone, cron);
    } catch (ParseException | RuntimeException e) {
      throw new ConfigException(
          SourceScheduleKeys.SYNC_SCHEDULE_CONFIG, expression, problem(trimmed, e));
    }
  }

  private static String problem(String expression, Exception e) {
    StringBuilder message =
        new StringBuilder("not a cron expression: ")
            .append(e.getMessage())
            .append(". The format is Quartz's: seconds minutes hours day-of-month month")
            .append(" day-of-week [year], with '?' in one of the two day fields; for example ")
            .append(EXAMPLE)
            .append(" or '0 */15 * * * ?' (every 15 minutes)");
    if (expression.split("\\s+").length == 5) {
      message.append(
          ". This one has 5 fields, as Unix cron does: put the seconds first and '?' in"
              + " day-of-month or day-of-week");
    }
    return message.toString();
  }

  /** The first fire time strictly after {@code after}, or null when the expression has none. */
  public Instant nextAfter(Instant after) {
    Date next = cron.getNextValidTimeAfter(Date.from(after));
    return next == null ? null : next.toInstant();
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return "'" + expression + "' (" + zone + ")";
  }
}
