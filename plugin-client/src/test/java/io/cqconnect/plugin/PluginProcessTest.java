package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launching, logging and stopping with small shell scripts standing in for plugin binaries. */
class PluginProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  private PluginProcess process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.stop(Duration.ZERO);
    }
  }

  @Test
  void shouldLaunchWithTheCliArgumentsEnvironmentAndOwnWorkDir() throws Exception {
    Path script =
        script(
            "args.sh",
            "echo \"args: $*\"",
            "echo \"telemetry: $CQ_TELEMETRY_LEVEL custom: $MY_VAR\"",
            "echo \"pwd: $(pwd)\"",
            "exec sleep 1000");

    process =
        PluginProcess.start(
            PluginLaunchSpec.builder(script)
                .name("args")
                .logLevel("debug")
                .extraArgs(List.of("--no-sentry"))
                .env("MY_VAR", "hello")
                .build());
    await().atMost(WAIT).until(() -> process.recentLogs().size() == 3);

    assertThat(process.address()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(process.target()).isEqualTo(process.address());
    assertThat(process.recentLogs().get(0))
        .isEqualTo(
            "args: serve --network tcp --address "
                + process.address()
                + " --log-format json --log-level debug --no-sentry");
    assertThat(process.recentLogs().get(1)).isEqualTo("telemetry: none custom: hello");
    Path workDir = Path.of(process.recentLogs().get(2).substring("pwd: ".length()));
    assertThat(workDir.getFileName().toString()).startsWith("cq-plugin-args-");
    assertThat(process.isAlive()).isTrue();
    assertThat(process.exitCode()).isEmpty();

    process.stop(Duration.ofSeconds(5));

    assertThat(process.isAlive()).isFalse();
    assertThat(process.exitCode()).hasValue(143); // 128 + SIGTERM
    assertThat(workDir).doesNotExist();
  }

  @Test
  void shouldUseAShortUnixSocketPathAndRemoveItOnStop() throws Exception {
    Path script = script("unix.sh", "echo \"$5\"", "exec sleep 1000");

    process =
        PluginProcess.start(PluginLaunchSpec.builder(script).network(PluginNetwork.UNIX).build());
    await().atMost(WAIT).until(() -> process.recentLogs().size() == 1);

    Path socket = Path.of(process.address());
    assertThat(process.recentLogs()).containsExactly(socket.toString());
    assertThat(process.target()).isEqualTo("unix:" + socket);
    assertThat(socket.toString().length()).isLessThan(100);
    assertThat(socket.getParent()).isDirectory();

    process.stop(Duration.ofSeconds(5));

    assertThat(socket.getParent()).doesNotExist();
  }

  @Test
  void shouldKillAProcessTreeThatIgnoresSigtermAfterTheGracePeriod() throws Exception {
    Path script =
        script(
            "stubborn.sh",
            "trap '' TERM",
            "sleep 1000 &",
            "echo \"child $!\"",
            "while true; do sleep 0.2; done");
    process = PluginProcess.start(PluginLaunchSpec.builder(script).build());
    await().atMost(WAIT).until(() -> process.recentLogs().size() == 1);
    long child = Long.parseLong(process.recentLogs().get(0).substring("child ".length()));
    assertThat(ProcessHandle.of(child)).isPresent();

    process.stop(Duration.ofMillis(300));

    assertThat(process.isAlive()).isFalse();
    assertThat(process.exitCode()).hasValue(137); // 128 + SIGKILL
    await().atMost(WAIT).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    // Stopping again is a no-op and does not throw.
    process.stop(Duration.ZERO);
  }

  @Test
  void shouldGiveThePluginItsGracePeriodWhenStoppedFromAnInterruptedThread() throws Exception {
    Path script =
        script(
            "graceful.sh",
            "trap 'sleep 0.5; echo flushed > \"$OUT\"; exit 0' TERM",
            "echo ready",
            "while true; do sleep 0.1; done");
    Path out = tmp.resolve("flushed");
    process =
        PluginProcess.start(PluginLaunchSpec.builder(script).env("OUT", out.toString()).build());
    await().atMost(WAIT).until(() -> process.recentLogs().size() == 1);

    Thread.currentThread().interrupt();
    process.stop(Duration.ofSeconds(10));
    boolean stillInterrupted = Thread.interrupted();

    assertThat(stillInterrupted).as("the caller's interrupt flag is kept").isTrue();
    assertThat(process.exitCode()).as("exited by itself, not killed").hasValue(0);
    assertThat(out).hasContent("flushed");
  }

  @Test
  void shouldFailClearlyWhenTheProcessNeverAnswersAndLeaveNothingRunning() throws Exception {
    Path pidFile = tmp.resolve("pid");
    Path script =
        script(
            "silent.sh",
            "echo $$ > \"$PID_FILE\"",
            "echo '{\"level\":\"info\",\"message\":\"warming up\"}'",
            "exec sleep 1000");
    PluginLaunchSpec spec =
        PluginLaunchSpec.builder(script)
            .env("PID_FILE", pidFile.toString())
            .startTimeout(Duration.ofSeconds(1))
            .stopGrace(Duration.ofSeconds(2))
            .build();

    assertThatThrownBy(() -> PluginConnection.launch(spec))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageContaining("Plugin " + script)
        .hasMessageMatching("(?s).*tcp 127\\.0\\.0\\.1:\\d+.*")
        .hasMessageContaining("did not become ready: no answer to GetVersions within PT1S")
        .hasMessageContaining("last error: GetVersions on plugin silent.sh")
        // Refused connections, or (on a busy machine) the last attempt still connecting.
        .hasMessageMatching("(?s).*(UNAVAILABLE|DEADLINE_EXCEEDED).*")
        .hasMessageContaining("warming up");

    long pid = Long.parseLong(Files.readString(pidFile).trim());
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    assertThat(handle.map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void shouldReportTheExitCodeAndOutputWhenThePluginDiesAtStart() throws Exception {
    Path script = script("dies.sh", "echo 'Error: unknown flag: --no-sentry' >&2", "exit 3");
    PluginLaunchSpec spec = PluginLaunchSpec.builder(script).build();

    assertThatThrownBy(() -> PluginConnection.launch(spec))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("did not become ready: the process exited before answering")
        .hasMessageContaining("[stderr] Error: unknown flag: --no-sentry");
  }

  @Test
  void shouldRejectAMissingOrNonExecutableBinary() throws Exception {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> PluginProcess.start(PluginLaunchSpec.builder(missing).build()))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage(
            "Plugin binary " + missing + " does not exist or is not a file; check the plugin path");

    Path plain = Files.writeString(tmp.resolve("plain"), "#!/bin/sh\n");
    assertThatThrownBy(() -> PluginProcess.start(PluginLaunchSpec.builder(plain).build()))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Plugin binary " + plain + " is not executable; run chmod +x on it");
  }

  @Test
  void shouldKeepACallerGivenWorkDir() throws Exception {
    Path workDir = tmp.resolve("work");
    Path script = script("pwd.sh", "echo \"$(pwd)\"", "exec sleep 1000");

    process = PluginProcess.start(PluginLaunchSpec.builder(script).workDir(workDir).build());
    await().atMost(WAIT).until(() -> process.recentLogs().size() == 1);
    process.stop(Duration.ofSeconds(5));

    assertThat(process.recentLogs()).containsExactly(workDir.toRealPath().toString());
    assertThat(workDir).isDirectory();
  }

  @Test
  void shouldNotLeaveAnOrphanWhenTheJvmExitsWithoutStopping() throws Exception {
    Path pidFile = tmp.resolve("orphan.pid");
    Path script =
        script("orphan.sh", "pwd > \"$PID_FILE.wd\"", "echo $$ > \"$PID_FILE\"", "exec sleep 1000");
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ExitWithoutStop.class.getName(),
                script.toString(),
                pidFile.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jvm.waitFor()).as(output).isZero();

    long pid = Long.parseLong(Files.readString(pidFile).trim());
    Path workDir = Path.of(Files.readString(Path.of(pidFile + ".wd")).trim());
    await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    assertThat(workDir.getFileName().toString()).startsWith("cq-plugin-orphan.sh-");
    assertThat(workDir).doesNotExist();
  }

  @Test
  void shouldStopThePluginAndRemoveItsDirsWhenTheJvmIsKilled() throws Exception {
    Path pidFile = tmp.resolve("killed.pid");
    Path script =
        script(
            "killed.sh",
            "trap 'echo term >> \"$PID_FILE.log\"; exit 0' TERM",
            "pwd > \"$PID_FILE.wd\"",
            "echo \"$5\" > \"$PID_FILE.sock\"",
            "echo $$ > \"$PID_FILE\"",
            "while true; do sleep 0.1; done");
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WaitUntilKilled.class.getName(),
                script.toString(),
                pidFile.toString())
            .redirectErrorStream(true)
            .start();
    await().atMost(WAIT).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    Path workDir = Path.of(Files.readString(Path.of(pidFile + ".wd")).trim());
    Path socketDir = Path.of(Files.readString(Path.of(pidFile + ".sock")).trim()).getParent();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true);
    assertThat(ProcessHandle.of(pid).flatMap(h -> h.parent()).map(ProcessHandle::pid))
        .as("the plugin keeps the pid the JVM launched")
        .hasValue(jvm.pid());

    jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
    jvm.waitFor();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    assertThat(Files.readString(Path.of(pidFile + ".log")).trim())
        .as("SIGTERM first, so the plugin can shut down cleanly")
        .isEqualTo("term");
    await().atMost(WAIT).until(() -> !Files.exists(workDir) && !Files.exists(socketDir));
  }

  /** Starts a unix-socket plugin and waits to be killed. */
  static final class WaitUntilKilled {
    public static void main(String[] args) throws Exception {
      PluginProcess.start(
          PluginLaunchSpec.builder(Path.of(args[0]))
              .network(PluginNetwork.UNIX)
              .env("PID_FILE", args[1])
              .build());
      Thread.sleep(60_000);
    }
  }

  /** Starts a plugin and exits the JVM without stopping it; the shutdown hook must reap it. */
  static final class ExitWithoutStop {
    public static void main(String[] args) throws Exception {
      PluginProcess p =
          PluginProcess.start(
              PluginLaunchSpec.builder(Path.of(args[0])).env("PID_FILE", args[1]).build());
      Path pidFile = Path.of(args[1]);
      long deadline = System.currentTimeMillis() + 10_000;
      while (!(Files.exists(pidFile) && Files.size(pidFile) > 0)
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      System.out.println("started " + p.pid());
      System.exit(0);
    }
  }

  private Path script(String name, String... lines) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }
}
