package io.cqconnect.state;

import static io.cqconnect.state.StateTestClient.insert;
import static io.cqconnect.state.StateTestClient.migrate;
import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code cq-state-server} jar as a real process (run by {@code mvn verify}): it starts
 * with {@code java -jar} alone, serves the Go state client and raw clients, keeps the state in
 * SQLite, and stops cleanly on SIGTERM.
 */
class CqStateServerIT {

  private static final Pattern LISTENING =
      Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) with state");

  @TempDir Path dir;

  @Test
  void shouldServeAndStopCleanlyWhenRunAsAStandaloneJar() throws Exception {
    Path jar = Path.of(System.getProperty("cq.state.server.jar", "missing"));
    assertThat(jar).as("the standalone jar (built by mvn package)").isRegularFile();
    Path db = dir.resolve("state.db");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--address",
                "127.0.0.1:0",
                "--jdbc-url",
                "jdbc:sqlite:" + db,
                "--log-level",
                "debug")
            .redirectErrorStream(true)
            .start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<String> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> readLines(process, output, port), "cq-state-server-it-output");
    reader.start();
    try (BufferAllocator allocator = new RootAllocator()) {
      String target = "127.0.0.1:" + port.get(60, TimeUnit.SECONDS);

      try (StateTestClient client = new StateTestClient(target)) {
        assertThat(client.plugin.getName(GetName.Request.getDefaultInstance()).getName())
            .isEqualTo("cq-state-server");
        client.write(migrate("raw"), insert("raw", List.of(new StateRow("k", "v", 2)), allocator));
        assertThat(client.read("raw")).hasSize(1);
      }
      try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_INCREMENTAL, "tcp")) {
        plugin.client().init("{\"rows_per_sync\":3}".getBytes(StandardCharsets.UTF_8), false);
        Sync.Request request =
            Sync.Request.newBuilder()
                .addTables("incr_events_0")
                .setBackend(
                    Sync.BackendOptions.newBuilder()
                        .setTableName("cq_state_it")
                        .setConnection(target))
                .build();
        try (SyncStream stream = plugin.client().sync(request)) {
          while (stream.take() != null) {
            // drain; the state write completes before the stream ends
          }
        }
      }
    } finally {
      // SIGTERM through the handle: Process.destroy() would also close our end of its output.
      process.toHandle().destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      reader.join(5_000);
    }

    assertThat(output)
        .as("output of cq-state-server (exit code %s)", process.exitValue())
        .anyMatch(l -> l.contains("Stopping cq-state-server"));
    assertThat(output).anyMatch(l -> l.contains("stopped in"));
    assertThat(output).noneMatch(l -> l.contains("Exception"));
    assertThat(Files.exists(db)).isTrue();
    try (JdbcStateStore store = new JdbcStateStore("jdbc:sqlite:" + db)) {
      assertThat(store.read("raw")).containsExactly(new StateRow("k", "v", 2));
      assertThat(store.read("cq_state_it")).containsExactly(new StateRow("incr_events_0", "3", 1));
    }
  }

  private static void readLines(
      Process process, List<String> output, CompletableFuture<String> port) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        System.out.println("[cq-state-server] " + line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(m.group(1));
        }
      }
      port.completeExceptionally(new IllegalStateException("cq-state-server exited: " + output));
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
  }
}
