package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker JVM killed with SIGKILL (no shutdown hook, no task stop) takes its Go, JavaScript and
 * Python plugin processes with it, and leaves none of their socket or working directories behind.
 * Nothing but the JVM is killed by the test.
 */
@ExtendWith(ConnectClusterExtension.class)
class WorkerKillIT {

  /** One connector per SDK; each idles after its first sync with its plugin still running. */
  private static final Map<String, String> PLUGINS =
      Map.of(
          "orphan-go", Fixtures.SOURCE_TEST,
          "orphan-js", Fixtures.JS_MEMDB,
          "orphan-py", Fixtures.PY_MEMDB);

  @Test
  void shouldStopEveryPluginAndRemoveItsDirsWhenTheWorkerJvmIsKilled(EmbeddedConnectCluster connect)
      throws Exception {
    IncrementalWorkerProcess worker =
        IncrementalWorkerProcess.start(connect.kafka().bootstrapServers(), "cq-orphan", 1);
    try {
      await()
          .alias("worker answers REST (log " + worker.log() + ")")
          .atMost(Duration.ofSeconds(60))
          .until(() -> worker.isAlive() && worker.answers());
      PLUGINS.forEach(
          (name, plugin) -> {
            Map<String, String> config =
                SourceConnectors.forFixture(
                    name, plugin, plugin.equals(Fixtures.SOURCE_TEST) ? "{\"num_rows\":1}" : "{}");
            config.put("sync.interval.ms", "600000");
            worker.putConnector(name, config);
          });
      await()
          .alias("one plugin process per connector (log " + worker.log() + ")")
          .atMost(Duration.ofSeconds(90))
          .until(() -> plugins(worker).size() == PLUGINS.size());
      List<ProcessHandle> plugins = plugins(worker);
      List<Path> dirs = new ArrayList<>();
      for (ProcessHandle p : plugins) {
        dirs.add(Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")));
        socketDir(p).ifPresent(dirs::add);
      }
      assertThat(dirs)
          .as("work dirs and the Go plugin's socket dir")
          .hasSize(4)
          .allMatch(Files::isDirectory);

      worker.killJvmOnly();

      await()
          .alias("every plugin of the killed worker has exited")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> plugins.stream().noneMatch(ProcessHandle::isAlive));
      await()
          .alias("their socket and working directories are gone")
          .atMost(Duration.ofSeconds(5))
          .until(() -> dirs.stream().noneMatch(Files::exists));
    } finally {
      if (worker.isAlive()) {
        worker.kill();
      }
    }
  }

  /** The worker's plugin processes: the ones serving the protocol, not their shell watchers. */
  private static List<ProcessHandle> plugins(IncrementalWorkerProcess worker) {
    return worker.descendants().stream()
        .filter(ProcessHandle::isAlive)
        .filter(p -> args(p).contains("serve") && args(p).contains("--log-format"))
        .filter(p -> !p.info().command().orElse("").matches(".*/(sh|dash|bash)$"))
        .toList();
  }

  private static List<String> args(ProcessHandle p) {
    return p.info().arguments().map(Arrays::asList).orElse(List.of());
  }

  /** The directory of a unix-socket plugin's {@code --address}, if it listens on one. */
  private static Optional<Path> socketDir(ProcessHandle p) throws IOException {
    List<String> args = args(p);
    int i = args.indexOf("--address");
    if (i < 0 || i + 1 >= args.size() || !args.get(i + 1).startsWith("/")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(args.get(i + 1)).getParent());
  }
}
