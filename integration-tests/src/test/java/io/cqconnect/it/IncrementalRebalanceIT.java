package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changing {@code tasks.max} while syncs run moves tables between tasks (and workers): each table
 * resumes in its new task from the cursor its old task committed, so no id is missing and only the
 * sync each move interrupted repeats.
 */
class IncrementalRebalanceIT {

  private static final int TABLES = 4;

  @RegisterExtension
  static final ConnectClusterExtension CONNECT =
      ConnectClusterExtension.builder().workers(2).build();

  private final ConnectHarness harness;

  IncrementalRebalanceIT(ConnectHarness harness) {
    this.harness = harness;
  }

  private static long cursor(Map<String, String> cursors, int table) {
    String value = cursors.get("incr_events_" + table);
    return value == null ? 0 : Long.parseLong(value);
  }

  private boolean allAdvanced(String name, Map<String, String> from, long by) {
    Map<String, String> now = IncrementalResumeIT.cursors(harness, name);
    for (int t = 0; t < TABLES; t++) {
      if (cursor(now, t) < cursor(from, t) + by) {
        return false;
      }
    }
    return true;
  }

  private boolean running(String name, int tasks) {
    ConnectorStateInfo status = harness.cluster().connectorStatus(name);
    return status.tasks().size() == tasks
        && status.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
  }

  @Test
  void shouldKeepEveryTableGaplessWhenTasksMaxChangesWhileSyncsRun() {
    String name = "rebalance";
    Map<String, String> config =
        new HashMap<>(
            IncrementalFaults.source(
                name,
                "{\"tables\":"
                    + TABLES
                    + ",\"rows_per_sync\":50,\"batch_rows\":10,"
                    + "\"flush_every_rows\":20,\"delay_ms_per_batch\":80}",
                200));
    harness.cluster().configureConnector(name, config);
    try {
      await()
          .alias("every table's first sync committed")
          .atMost(Duration.ofSeconds(90))
          .until(() -> allAdvanced(name, Map.of(), 50));
      StringBuilder steps = new StringBuilder();
      for (int tasks : new int[] {3, 2, 1}) {
        Map<String, String> before = IncrementalResumeIT.cursors(harness, name);
        config.put("tasks.max", Integer.toString(tasks));
        harness.cluster().configureConnector(name, config);
        await()
            .alias(tasks + " tasks running")
            .atMost(Duration.ofSeconds(90))
            .until(() -> running(name, tasks));
        await()
            .alias("every table synced twice more with tasks.max " + tasks)
            .atMost(Duration.ofSeconds(90))
            .until(() -> allAdvanced(name, before, 100));
        steps.append(String.format(" tasks.max=%d (cursors before %s)", tasks, before));
      }
      IncrementalTopics topics = new IncrementalTopics(harness);
      StringBuilder report =
          new StringBuilder("[IncrementalRebalanceIT] 3 reconfigurations:" + steps);
      for (int t = 0; t < TABLES; t++) {
        String table = "incr_events_" + t;
        List<IncrementalTopics.Row> rows = topics.rows(name + "." + table);
        IncrementalTopics.History history = IncrementalTopics.assertResumeContract(table, rows, 1);
        report.append("\n  ").append(history);
        assertThat(history.boundaryDuplicates()).isZero();
        assertThat(history.maxRetryDuplicates())
            .as("%s: rows one interrupted sync sent again", table)
            .isLessThanOrEqualTo(50);
      }
      System.out.println(report);
      assertThat(harness.cluster().taskConfigs(name)).hasSize(1);
    } finally {
      harness.cluster().deleteConnector(name);
    }
  }
}
