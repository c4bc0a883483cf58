package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A restart is not a new sync: the last committed sync's start is in the Connect offsets, so a task
 * restarted within {@code sync.interval.ms} waits for the rest of it instead of sending every
 * full-refresh table again, and one restarted after it syncs at once. Also cron schedules ({@code
 * sync.schedule}) and their fire times skipped while a sync runs. Over CloudQuery's {@code test}
 * source and our incremental plugin.
 */
@ExtendWith(ConnectClusterExtension.class)
class SourceRestartScheduleIT {

  private static final long TEN_MINUTES = 600_000;
  private static final int ROWS = 10;

  private final ConnectHarness harness;

  SourceRestartScheduleIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private Map<String, String> testSource(String name) {
    Map<String, String> config =
        SourceConnectors.forFixture(
            name, Fixtures.SOURCE_TEST, "{\"num_rows\":" + ROWS + ",\"num_sub_rows\":0}");
    config.put("tables", "test_some_table");
    config.put("sync.interval.ms", Long.toString(TEN_MINUTES));
    return config;
  }

  /** Starts the connector and waits until its first sync and that sync's start are committed. */
  private long firstSyncCommitted(String name, Map<String, String> config) {
    harness.cluster().configureConnector(name, config);
    String topic = name + ".test_some_table";
    await()
        .alias(name + ": first sync delivered and its start committed")
        .atMost(Duration.ofSeconds(90))
        .until(() -> markers(topic).size() == 1 && scheduleOffset(name) != null);
    return ((Number) scheduleOffset(name).offset().get("started_ms")).longValue();
  }

  /** The task's committed sync start (partition {@code {"v":1,"source":...,"schedule":0}}). */
  private ConnectorOffset scheduleOffset(String name) {
    return scheduleOffset(harness, name);
  }

  /** The committed schedule offset of a source connector's task 0, or null. */
  static ConnectorOffset scheduleOffset(ConnectHarness harness, String name) {
    return harness.cluster().connectorOffsets(name).offsets().stream()
        .filter(o -> o.partition().containsKey("schedule") && o.offset() != null)
        .findFirst()
        .orElse(null);
  }

  /** A task metric of the source connector, from the worker in this JVM; null without the task. */
  static Number taskMetric(String name, String attribute) {
    try {
      ObjectName task =
          new ObjectName(
              "kafka.connect.cloudquery:type=source-task-metrics,connector=" + name + ",task=0");
      var server = ManagementFactory.getPlatformMBeanServer();
      return server.isRegistered(task) ? (Number) server.getAttribute(task, attribute) : null;
    } catch (Exception e) {
      throw new AssertionError("reading " + attribute + " of " + name, e);
    }
  }

  private List<ConnectHarness.Message> markers(String topic) {
    return harness.readAll(topic, Duration.ofSeconds(10)).stream()
        .filter(ConnectHarness.Message::isMarker)
        .toList();
  }

  private List<ConnectHarness.Message> rows(String topic) {
    return harness.readAll(topic, Duration.ofSeconds(10)).stream()
        .filter(m -> !m.isMarker())
        .toList();
  }

  @Test
  void shouldNotResendFullRefreshTablesWhenRestartedWithinTheInterval() {
    String name = "restart_within";
    String topic = name + ".test_some_table";
    long started = firstSyncCommitted(name, testSource(name));
    assertThat(rows(topic)).hasSize(ROWS);

    for (String restart : List.of("stop and resume", "task restart")) {
      if (restart.equals("stop and resume")) {
        harness.stopAndAwait(name);
        assertThat(taskMetric(name, "next-sync-time")).as("metrics of the stopped task").isNull();
        harness.cluster().resumeConnector(name);
      } else {
        harness.cluster().restartConnectorAndTasks(name, false, true, false);
      }
      // The old task's metrics go away with it; the new task has completed no sync yet.
      await()
          .alias(name + " (" + restart + "): the new task plans its first sync")
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Number completed = taskMetric(name, "syncs-completed-total");
                Number next = taskMetric(name, "next-sync-time");
                return completed != null
                    && completed.doubleValue() == 0
                    && next != null
                    && next.longValue() > 0;
              });
      assertThat(taskMetric(name, "next-sync-time").longValue())
          .as("%s: the first sync is due one interval after the committed start", restart)
          .isEqualTo(started + TEN_MINUTES);
      assertThat(rows(topic)).as("%s: rows on the topic", restart).hasSize(ROWS);
      assertThat(markers(topic)).as("%s: syncs on the topic", restart).hasSize(1);
    }
  }

  @Test
  void shouldSyncAtOnceWhenRestartedAfterTheInterval() {
    String name = "restart_after";
    String topic = name + ".test_some_table";
    long started = firstSyncCommitted(name, testSource(name));
    harness.stopAndAwait(name);
    // As if the worker had been down for longer than the interval: the last start is older.
    ConnectorOffset schedule = scheduleOffset(name);
    Map<String, Object> older = new HashMap<>(schedule.offset());
    older.put("started_ms", started - TEN_MINUTES - 1_000);
    harness
        .cluster()
        .alterConnectorOffsets(
            name, new ConnectorOffsets(List.of(new ConnectorOffset(schedule.partition(), older))));
    harness.cluster().resumeConnector(name);

    await()
        .alias(name + ": a second sync right after the resume")
        .atMost(Duration.ofSeconds(60))
        .until(() -> markers(topic).size() == 2);
    assertThat(rows(topic)).hasSize(2 * ROWS);
    long second =
        ((Number) scheduleOffsetAfter(name, started).offset().get("started_ms")).longValue();
    assertThat(taskMetric(name, "next-sync-time").longValue())
        .as("the sync after it, one interval later")
        .isEqualTo(second + TEN_MINUTES);
  }

  private ConnectorOffset scheduleOffsetAfter(String name, long started) {
    await()
        .alias(name + ": the second sync's start is committed")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> ((Number) scheduleOffset(name).offset().get("started_ms")).longValue() > started);
    return scheduleOffset(name);
  }

  @Test
  void shouldStartSyncsAtTheFireTimesOfACronSchedule() {
    String name = "cron_fire";
    String topic = name + ".test_some_table";
    Map<String, String> config = testSource(name);
    config.remove("sync.interval.ms");
    config.put("sync.schedule", "*/5 * * * * ?");
    config.put("sync.schedule.timezone", "Europe/Berlin");
    harness.cluster().configureConnector(name, config);

    await().atMost(Duration.ofSeconds(90)).until(() -> markers(topic).size() >= 3);

    List<Instant> starts =
        markers(topic).stream().map(m -> Instant.parse(m.headers().get("cq.sync.time"))).toList();
    assertThat(starts).doesNotHaveDuplicates().isSorted();
    for (Instant start : starts) {
      // The sync starts when its thread wakes at the fire time: a little after it.
      int second = start.atOffset(ZoneOffset.UTC).getSecond();
      assertThat(second % 5).as("second of sync start %s", start).isLessThan(3);
    }
    assertThat(rows(topic)).hasSize(ROWS * markers(topic).size());
  }

  @Test
  void shouldSkipTheFireTimesASyncRunsPastAndNeverOverlapSyncs() {
    String name = "cron_overlap";
    // Each sync takes about 3 s (30 rows, 10 per batch, 1 s between batches); one fires every 1 s.
    Map<String, String> config =
        IncrementalResumeIT.incrementalSource(
            name, "{\"rows_per_sync\":30,\"batch_rows\":10,\"delay_ms_per_batch\":1000}");
    config.remove("sync.interval.ms");
    config.put("sync.schedule", "* * * * * ?");
    harness.cluster().configureConnector(name, config);
    String topic = name + ".incr_events_0";

    await()
        .alias(name + ": three syncs")
        .atMost(Duration.ofSeconds(90))
        .until(() -> IncrementalTopics.cursor(harness, name) >= 90);

    assertThat(taskMetric(name, "syncs-skipped-total").doubleValue())
        .as("fire times skipped while a sync ran")
        .isGreaterThanOrEqualTo(2.0);
    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(topic);
    IncrementalTopics.History history =
        IncrementalTopics.assertResumeContract("incr_events_0", rows, 1);
    assertThat(history.maxRetryDuplicates()).as("rows sent twice").isZero();
    System.out.println("[SourceRestartScheduleIT] cron overlap: " + history);
  }
}
