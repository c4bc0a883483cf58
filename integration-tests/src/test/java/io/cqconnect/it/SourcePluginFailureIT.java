package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that crashes is restarted with backoff; one that never starts fails the task clearly.
 */
@ExtendWith(ConnectClusterExtension.class)
class SourcePluginFailureIT {

  @Test
  void shouldRestartAPluginThatCrashesMidSyncAndDeliverEveryRow(ConnectHarness harness) {
    String name = "crashy";
    // Each plugin process exits after 150 rows: every second sync dies half way and is retried.
    Map<String, String> config =
        SourceConnectors.forFixture(
            name,
            Fixtures.SOURCE_INCREMENTAL,
            "{\"rows_per_sync\":100,\"batch_rows\":10,\"exit_after_rows\":150}");
    config.put("state.table.name", "cq_state_crashy");
    config.put("sync.interval.ms", "300");
    harness.cluster().configureConnector(name, config);

    await()
        .atMost(Duration.ofSeconds(150))
        .until(() -> IncrementalTopics.cursor(harness, name) >= 400);
    harness.cluster().stopConnector(name);

    List<IncrementalTopics.Row> rows = new IncrementalTopics(harness).rows(name + ".incr_events_0");
    long max = IncrementalTopics.assertNoGap(rows);
    assertThat(max).isGreaterThanOrEqualTo(400);
    // Rows of a sync that died are sent again by its retry: duplicates only from crashed syncs,
    // each of which started at a committed cursor (a multiple of 100).
    assertThat(rows).allSatisfy(r -> assertThat(r.syncStart() % 100).isZero());
    ConnectorStateInfo status = harness.cluster().connectorStatus(name);
    assertThat(status.tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
  }

  @Test
  void shouldFailTheTaskNamingThePluginAndItsLastLogLinesWhenItNeverStarts(
      ConnectHarness harness, @TempDir Path dir) throws IOException {
    Path binary = dir.resolve("broken-plugin");
    // The first start (REST validation) is a working plugin; every later start (the task's) dies
    // at once, as a plugin whose licence or environment broke after deployment would.
    Path used = dir.resolve("used");
    Files.writeString(
        binary,
        "#!/bin/sh\n"
            + "if [ ! -f "
            + used
            + " ]; then touch "
            + used
            + "; exec "
            + Fixtures.binary(Fixtures.SOURCE_INCREMENTAL)
            + " \"$@\"; fi\n"
            + "echo '{\"level\":\"error\",\"message\":\"cannot open license file\"}'\n"
            + "exit 7\n");
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> config =
        SourceConnectors.forFixture("broken", Fixtures.SOURCE_INCREMENTAL, "{}");
    config.put("plugin.path", binary.toString());
    config.put("plugin.start.timeout.ms", "3000");
    config.put("plugin.restart.max.attempts", "1");
    config.put("plugin.restart.backoff.initial.ms", "100");
    config.put("plugin.restart.backoff.max.ms", "100");
    harness.cluster().configureConnector("broken", config);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              ConnectorStateInfo status = harness.cluster().connectorStatus("broken");
              return !status.tasks().isEmpty() && "FAILED".equals(status.tasks().get(0).state());
            });
    String trace = harness.cluster().connectorStatus("broken").tasks().get(0).trace();
    assertThat(trace)
        .contains(binary.toString())
        .contains("cannot open license file")
        .contains("plugin.restart.max.attempts");
  }
}
