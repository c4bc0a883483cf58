package io.cqconnect.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginLaunchSpec;
import io.cqconnect.plugin.PluginNetwork;
import io.cqconnect.plugin.PluginProcess;
import io.cqconnect.plugin.proto.v3.Sync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs {@code bin/cq-demo-plugin} as a process the way the connector does (PluginConnection, the
 * CLI's command line), over a unix socket and over TCP: it must answer, sync, log JSON lines on
 * stdout and stop on SIGTERM.
 */
class LauncherIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Path launcher() {
    String path = System.getProperty("cq.demo.launcher");
    assertThat(path)
        .as("system property cq.demo.launcher (set by the demo-plugin pom)")
        .isNotBlank();
    Path p = Path.of(path);
    assertThat(Files.isExecutable(p)).as(p + " is executable").isTrue();
    return p;
  }

  @org.junit.jupiter.api.Test
  void shouldShipNoKafkaClassesInTheLauncherJar() throws Exception {
    io.cqconnect.plugin.testing.StandaloneJars.assertNoKafkaClasses("cq.demo.jar");
  }

  @ParameterizedTest
  @EnumSource(PluginNetwork.class)
  void shouldServeSyncAndStopWhenLaunchedAsAPluginProcess(PluginNetwork network) throws Exception {
    PluginLaunchSpec spec =
        PluginLaunchSpec.builder(launcher())
            .name("demo")
            .network(network)
            .startTimeout(Duration.ofSeconds(60))
            .build();
    PluginProcess process;
    try (BufferAllocator allocator = new RootAllocator();
        PluginConnection connection = PluginConnection.launch(spec)) {
      process = connection.process().orElseThrow();
      assertThat(connection.versions()).containsExactly(3);
      assertThat(connection.client().name()).isEqualTo("demo");
      assertThat(connection.client().version()).startsWith("v0.");
      connection.client().init("{\"events_per_sync\":12}".getBytes(), false);
      SyncResult r =
          SyncResult.run(
              connection.channel(), Sync.Request.newBuilder().addTables("*").build(), allocator);
      assertThat(r.ids("demo_events")).isEqualTo(SyncResult.range(1, 12));
      assertThat(r.ids("demo_users")).hasSize(5);
    }
    assertThat(process.isAlive()).isFalse();
    // SIGTERM is a clean stop for the JVM: exit status 143 (128 + 15) through the shutdown hook.
    assertThat(process.exitCode()).hasValue(143);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : process.recentLogs()) {
      if (!line.startsWith("[stderr]")) {
        lines.add(JSON.readTree(line));
      }
    }
    assertThat(lines).isNotEmpty();
    assertThat(lines)
        .allSatisfy(
            l -> assertThat(l.path("level").asText()).isIn("info", "warn", "error", "debug"));
    assertThat(lines)
        .extracting(l -> l.path("message").asText())
        .anyMatch(m -> m.startsWith("plugin server listening address="))
        .anyMatch(
            m ->
                m.contains("syncing table=demo_events stored_cursor=(none) first_id=1 last_id=12"));
    assertThat(process.recentLogs()).noneMatch(l -> l.startsWith("[stderr]"));
  }
}
