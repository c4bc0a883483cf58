package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tasks.max > 1}: the connector re-discovers the plugin's tables on its own thread and
 * reassigns the tasks when they change, without a config change and without holding the herder.
 *
 * <p>The plugin's table list changes the honest way: the incremental fixture reads its table count
 * from {@code tables_file} at every Init, so rewriting that file changes what the next plugin
 * process answers while the connector config stays the same. A wrapper script in front of the
 * plugin counts launches and, while a marker file exists, takes a few seconds to start, so the test
 * can call the REST API while a discovery is in flight.
 */
@ExtendWith(ConnectClusterExtension.class)
class SourceTableDiscoveryIT {

  private static final long SLOW_START_SECONDS = 8;

  private final ConnectHarness harness;

  SourceTableDiscoveryIT(ConnectHarness harness) {
    this.harness = harness;
  }

  /** Fails fast, and says what to do, when fixtures/bin holds a plugin built before tables_file. */
  @BeforeAll
  static void requireTablesFileSupport(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("tables"), "1");
    String spec = "{\"tables_file\":\"" + file + "\"}";
    try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "unix")) {
      plugin.client().init(spec.getBytes(StandardCharsets.UTF_8), true);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "fixture cq-source-incremental does not accept tables_file; rebuild it with"
              + " fixtures/build.sh ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  @Test
  void shouldAssignANewTableAfterTheNextDiscoveryWhileTheHerderKeepsAnswering(@TempDir Path dir)
      throws Exception {
    Path tablesFile = dir.resolve("tables");
    Path slow = dir.resolve("slow");
    Path launches = dir.resolve("launches");
    Files.writeString(tablesFile, "2\n");
    Files.createFile(launches);
    Path wrapper = wrapper(dir, launches, slow);
    String name = "disc";
    Map<String, String> config =
        SourceConnectors.forFixture(
            name,
            Fixtures.SOURCE_INCREMENTAL,
            "{\"tables_file\":\"" + tablesFile + "\",\"rows_per_sync\":20,\"full_rows\":3}");
    config.put("plugin.path", wrapper.toString());
    config.put("tasks.max", "3");
    config.put("tables.discovery.interval.ms", "2000");
    harness.cluster().configureConnector(name, config);

    await().atMost(Duration.ofSeconds(60)).until(() -> assignedTables(name).size() == 3);
    assertThat(assignedTables(name))
        .containsExactlyInAnyOrder("incr_events_0", "incr_events_1", "full_items");
    IncrementalTopics topics = new IncrementalTopics(harness);
    for (String table : List.of("incr_events_0", "incr_events_1")) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> topics.rows(name + "." + table).size() >= 20);
    }

    // With sync.interval.ms=0 the tasks are idle now: the next plugin launch is a discovery. The
    // table count changes only once that launch is held in the wrapper, so no earlier discovery
    // can have seen it.
    Files.writeString(slow, Long.toString(SLOW_START_SECONDS));
    await().atMost(Duration.ofSeconds(30)).until(() -> slowLaunches(launches).size() == 1);
    long discoveryStarted = System.nanoTime();
    Files.writeString(tablesFile, "3\n");

    long tasksMillis = millis(() -> harness.cluster().taskConfigs(name));
    List<String> duringDiscovery = assignedTables(name);
    WorkerHandle worker = harness.cluster().healthyWorkers().iterator().next();
    long healthMillis = millis(() -> harness.cluster().healthCheck(worker).close());
    long sinceLaunchMillis = (System.nanoTime() - discoveryStarted) / 1_000_000L;
    System.out.printf(
        "during a discovery: GET tasks %d ms, GET /health %d ms, %d ms after the launch%n",
        tasksMillis, healthMillis, sinceLaunchMillis);
    assertThat(sinceLaunchMillis)
        .as("the REST calls ran while the discovery's plugin was still starting")
        .isLessThan(SLOW_START_SECONDS * 1000);
    assertThat(duringDiscovery).doesNotContain("incr_events_2");
    assertThat(tasksMillis).as("GET /connectors/%s/tasks during discovery", name).isLessThan(2000);
    assertThat(healthMillis).as("GET /health during discovery").isLessThan(2000);
    Files.delete(slow);

    // The herder answers 500 "a rebalance is expected" while it applies the new task configs.
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(harness.cluster().taskConfigs(name)).hasSize(3);
              assertThat(assignedTables(name))
                  .containsExactlyInAnyOrder(
                      "incr_events_0", "incr_events_1", "incr_events_2", "full_items");
            });
    String newTopic = name + ".incr_events_2";
    await().atMost(Duration.ofSeconds(120)).until(() -> topics.rows(newTopic).size() >= 20);
    List<IncrementalTopics.Row> rows = topics.rows(newTopic);
    assertThat(IncrementalTopics.assertNoGap(rows)).isEqualTo(20);
    assertThat(rows).hasSize(20);
    harness.cluster().deleteConnector(name);
  }

  /**
   * A connector restarted while its tasks run cannot answer {@code taskConfigs} until its first
   * discovery ends (here it outlasts the 10 s that {@code start} waits). The tasks must go on
   * unchanged instead of being replaced by a provisional split.
   */
  @Test
  void shouldKeepTheRunningTasksWhenARestartedConnectorIsStillDiscovering(@TempDir Path dir)
      throws Exception {
    Path tablesFile = dir.resolve("tables");
    Path slow = dir.resolve("slow");
    Path launches = dir.resolve("launches");
    Files.writeString(tablesFile, "2\n");
    Files.createFile(launches);
    String name = "disc-restart";
    Map<String, String> config =
        SourceConnectors.forFixture(
            name,
            Fixtures.SOURCE_INCREMENTAL,
            "{\"tables_file\":\"" + tablesFile + "\",\"rows_per_sync\":10,\"full_rows\":3}");
    config.put("plugin.path", wrapper(dir, launches, slow).toString());
    config.put("tasks.max", "2");
    config.put("tables.discovery.interval.ms", "0");
    harness.cluster().configureConnector(name, config);
    await().atMost(Duration.ofSeconds(60)).until(() -> assignedTables(name).size() == 3);
    IncrementalTopics topics = new IncrementalTopics(harness);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> topics.rows(name + ".incr_events_1").size() >= 10);
    List<Map<String, String>> before = taskConfigMaps(name);
    int launchesBefore = launchLines(launches).size();

    Files.writeString(slow, "15");
    harness.cluster().restartConnector(name);
    List<Long> slowPids = slowLaunches(launches);
    assertThat(slowPids)
        .as("the restarted connector's discovery is held in the wrapper")
        .hasSize(1);
    assertThat(ProcessHandle.of(slowPids.get(0)).map(ProcessHandle::isAlive))
        .as("start() returned (connector restarted) while its discovery still ran")
        .contains(true);
    long tasksMillis = millis(() -> harness.cluster().taskConfigs(name));
    assertThat(tasksMillis).as("GET tasks while taskConfigs cannot answer yet").isLessThan(2000);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ProcessHandle.of(slowPids.get(0)).map(p -> !p.isAlive()).orElse(true));
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> taskConfigMaps(name).equals(before));
    assertThat(launchLines(launches))
        .as("only the discovery launched the plugin: no task was restarted")
        .hasSize(launchesBefore + 1);
    assertThat(harness.cluster().connectorStatus(name).tasks())
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
    harness.cluster().deleteConnector(name);
  }

  private List<Map<String, String>> taskConfigMaps(String connector) {
    return harness.cluster().taskConfigs(connector).stream().map(TaskInfo::config).toList();
  }

  /** Every table of every task config, as the herder hands them out (duplicates kept). */
  private List<String> assignedTables(String connector) {
    List<String> tables = new ArrayList<>();
    for (TaskInfo task : harness.cluster().taskConfigs(connector)) {
      tables.addAll(List.of(task.config().get("task.tables").split(",")));
    }
    return tables;
  }

  /**
   * A launcher that logs each start to {@code launches} ({@code slow <pid>} or {@code fast <pid>})
   * and, while {@code slow} exists, waits the seconds it holds before it becomes the plugin (as a
   * large plugin binary takes time to start).
   */
  private static Path wrapper(Path dir, Path launches, Path slow) throws IOException {
    Path wrapper = dir.resolve("cq-source-incremental-wrapper");
    Files.writeString(
        wrapper,
        "#!/bin/sh\n"
            + "if [ -f '"
            + slow
            + "' ]; then echo \"slow $$\" >> '"
            + launches
            + "'; sleep \"$(cat '"
            + slow
            + "')\"; else echo \"fast $$\" >> '"
            + launches
            + "'; fi\n"
            + "exec '"
            + Fixtures.binary(Fixtures.SOURCE_INCREMENTAL)
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return wrapper;
  }

  /** The process ids of the launches held by the {@code slow} file. */
  private static List<Long> slowLaunches(Path launches) {
    return launchLines(launches).stream()
        .filter(l -> l.startsWith("slow "))
        .map(l -> Long.parseLong(l.substring("slow ".length()).trim()))
        .toList();
  }

  private static List<String> launchLines(Path launches) {
    try {
      return Files.readAllLines(launches);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long millis(Runnable call) {
    long started = System.nanoTime();
    call.run();
    return (System.nanoTime() - started) / 1_000_000L;
  }
}
