package io.cqconnect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsDocsTest {

  private static String rendered;

  @BeforeAll
  static void render() throws Exception {
    rendered = MetricsDocs.render();
  }

  @Test
  void shouldListTheSourceMetricsIssueSixAsksForWhenRendered() {
    assertThat(rendered)
        .contains(
            "### `kafka.connect.cloudquery:type=source-task-metrics,connector={connector},task={task}`")
        .contains(
            "### `kafka.connect.cloudquery:type=source-table-metrics,connector={connector},task={task},table={table}`")
        // rows and bytes per table, sync count and duration, plugin errors and restarts,
        // queue fill, committed cursor keys, mirror lag
        .contains("| `rows-total` |", "| `bytes-total` |", "| `syncs-completed-total` |")
        .contains("| `syncs-failed-total` |", "| `sync-duration-ms-avg` |")
        .contains("| `plugin-errors-total` |", "| `plugin-restarts-total` |", "| `queue-size` |")
        .contains("| `state-keys-committed-total` |", "| `mirror-lag-ms` |");
  }

  @Test
  void shouldListTheSinkMetricsWhenRendered() {
    assertThat(rendered)
        .contains(
            "### `kafka.connect.cloudquery:type=sink-task-metrics,connector={connector},task={task}`")
        .contains("| `rows-written-total` | Rows confirmed written |")
        .contains("| `flushes-total` |");
  }

  @Test
  void shouldMatchTheCommittedReferenceWhenTheMetricsChange() throws Exception {
    Path committed = Path.of(System.getProperty("cq.repo.dir")).resolve(MetricsDocs.DEFAULT_OUTPUT);
    assertThat(committed).exists();
    assertThat(Files.readString(committed))
        .as(
            "docs/metrics.md is stale: regenerate it with `mvn -q -o -pl tools exec:java"
                + " -Dexec.mainClass=io.cqconnect.tools.MetricsDocs` from the repository root")
        .isEqualTo(rendered);
  }
}
