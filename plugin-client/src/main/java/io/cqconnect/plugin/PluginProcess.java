package io.cqconnect.plugin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A local plugin process launched as the CloudQuery CLI does: {@code <binary> serve --network
 * tcp|unix --address <addr> --log-format json --log-level <level> [extra args]}, with the
 * environment {@link PluginEnvironment} builds, from a directory {@link PluginAllowlist} allows.
 * Its output goes to SLF4J; {@link #stop(Duration)} terminates it and its descendants, and a {@link
 * PluginSupervisor} watcher terminates it when the JVM dies without stopping it.
 *
 * <p>Starting does not wait for readiness; {@link PluginConnection#launch} does.
 */
public final class PluginProcess implements AutoCloseable {

  private final PluginLaunchSpec spec;
  private final Process process;
  private final String address;
  private final List<String> command;
  private final PluginLogs logs;
  private final Path socketDir;
  private final Path ownedWorkDir;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread shutdownHook;

  private PluginProcess(
      PluginLaunchSpec spec,
      Process process,
      String address,
      List<String> command,
      PluginLogs logs,
      Path socketDir,
      Path ownedWorkDir) {
    this.spec = spec;
    this.process = process;
    this.address = address;
    this.command = command;
    this.logs = logs;
    this.socketDir = socketDir;
    this.ownedWorkDir = ownedWorkDir;
    // A safety net: if the JVM exits without stopping us, do not leave an orphaned plugin behind.
    this.shutdownHook = new Thread(this::killOnJvmExit, "cq-plugin-" + spec.name() + "-reaper");
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down.
    }
  }

  /**
   * Spawns the plugin on a free loopback port or a fresh unix socket and starts forwarding its
   * output; does not wait until it answers.
   *
   * @throws ConnectException if the binary is missing, not executable, or cannot be started
   */
  public static PluginProcess start(PluginLaunchSpec spec) {
    Path binary = spec.binary();
    PluginAllowlist.fromWorker()
        .problem(binary)
        .ifPresent(
            problem -> {
              throw new ConnectException(problem);
            });
    if (!Files.isRegularFile(binary)) {
      throw new ConnectException(
          "Plugin binary " + binary + " does not exist or is not a file; check the plugin path");
    }
    if (!Files.isExecutable(binary)) {
      throw new ConnectException(
          "Plugin binary " + binary + " is not executable; run chmod +x on it");
    }
    Path socketDir = null;
    Path ownedWorkDir = null;
    try {
      String address;
      if (spec.network().unixSocket()) {
        socketDir = SocketDirs.create("cq-plugin-sock-", "plugin.sock");
        String socket = socketDir.resolve("plugin.sock").toString();
        address = spec.network() == PluginNetwork.GRPC_UNIX ? "unix:" + socket : socket;
      } else {
        address = "127.0.0.1:" + freeLoopbackPort();
      }
      Path workDir = spec.workDir().orElse(null);
      if (workDir == null) {
        ownedWorkDir = Files.createTempDirectory("cq-plugin-" + safe(spec.name()) + "-");
        workDir = ownedWorkDir;
      } else {
        Files.createDirectories(workDir);
      }
      List<String> command = new ArrayList<>();
      command.add(binary.toAbsolutePath().toString());
      command.addAll(
          List.of(
              "serve",
              "--network",
              spec.network().flag(),
              "--address",
              address,
              "--log-format",
              "json",
              "--log-level",
              spec.logLevel()));
      command.addAll(spec.extraArgs());
      boolean supervised = PluginSupervisor.available();
      ProcessBuilder pb =
          new ProcessBuilder(
                  supervised
                      ? PluginSupervisor.wrap(command, spec.stopGrace(), socketDir, ownedWorkDir)
                      : command)
              .directory(workDir.toFile());
      Map<String, String> env = pb.environment();
      Map<String, String> worker = Map.copyOf(env);
      env.clear();
      env.putAll(PluginEnvironment.of(worker, spec.inheritEnv(), spec.env()));
      PluginLogs logs = new PluginLogs(spec.name());
      Process process = pb.start();
      // Closing the pipe tells the watcher to end; it must not outlive its plugin.
      process.onExit().thenRun(() -> closeQuietly(process));
      logs.follow(process, "cq-plugin-" + spec.name() + "-" + process.pid());
      if (!supervised) {
        logs.logger()
            .warn(
                "{} is missing: plugin {} is reaped by the JVM's shutdown hook only and would"
                    + " outlive a JVM killed with SIGKILL",
                PluginSupervisor.SHELL,
                binary);
      }
      logs.logger()
          .info(
              "started plugin {} (pid {}) on {} {} in {}",
              binary,
              process.pid(),
              spec.network().flag(),
              address,
              workDir);
      return new PluginProcess(
          spec, process, address, List.copyOf(command), logs, socketDir, ownedWorkDir);
    } catch (IOException | RuntimeException e) {
      SocketDirs.deleteQuietly(socketDir);
      SocketDirs.deleteQuietly(ownedWorkDir);
      throw new ConnectException("Cannot start plugin binary " + binary + ": " + e, e);
    }
  }

  /** The spec it was launched with. */
  public PluginLaunchSpec spec() {
    return spec;
  }

  /** The plugin's name (logger suffix). */
  public String name() {
    return spec.name();
  }

  /** TCP, unix or a unix socket in gRPC's address syntax. */
  public PluginNetwork network() {
    return spec.network();
  }

  /**
   * The {@code --address} given: {@code 127.0.0.1:<port>}, the socket path, or {@code unix:<socket
   * path>}.
   */
  public String address() {
    return address;
  }

  /**
   * The gRPC target to dial: {@code 127.0.0.1:<port>} or {@code unix:<socket path>} (for {@code
   * GRPC_UNIX} the address already is).
   */
  public String target() {
    return spec.network() == PluginNetwork.UNIX ? "unix:" + address : address;
  }

  /** The full command line. */
  public List<String> command() {
    return command;
  }

  /** Operating-system process id. */
  public long pid() {
    return process.pid();
  }

  /** True while the process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or empty while it runs. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Waits up to {@code timeout} for the process to exit; true if it has. */
  public boolean waitForExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * After the process has exited, waits up to {@code timeout} until its output has been read to the
   * end, so that {@link #recentLogs()} holds its last words.
   */
  void awaitOutputDrained(Duration timeout) {
    if (!process.isAlive()) {
      logs.awaitDrained(timeout.toMillis());
    }
  }

  /** The last ~50 lines of output (oldest first); stderr lines start with {@code [stderr]}. */
  public List<String> recentLogs() {
    return logs.recent();
  }

  /** The last {@code n} output lines joined on indented lines, for error messages. */
  public String logTail(int n) {
    return logs.tail(n);
  }

  /** {@code binary (pid N, tcp 127.0.0.1:port)} plus the exit code once it has exited. */
  public String describe() {
    OptionalInt code = exitCode();
    return spec.binary()
        + " (pid "
        + pid()
        + ", "
        + spec.network().flag()
        + " "
        + address
        + (code.isPresent() ? ", exited with code " + code.getAsInt() : "")
        + ")";
  }

  /** Stops with the spec's grace period. */
  public void stop() {
    stop(spec.stopGrace());
  }

  /**
   * SIGTERM to the process and its descendants, then SIGKILL to whatever still runs after {@code
   * grace}, also when the calling thread is interrupted (its flag is kept); removes the socket and
   * the temporary working directory. Idempotent; never throws.
   */
  public void stop(Duration grace) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long startNanos = System.nanoTime();
    // A stopping task interrupts its sync thread, which then closes the plugin: the plugin still
    // gets its grace period (to flush and exit cleanly), and the flag is restored afterwards.
    boolean interrupted = Thread.interrupted();
    try {
      // Snapshot first: once the parent dies its children are re-parented and no longer listed.
      List<ProcessHandle> descendants = process.descendants().toList();
      // Not waited for: the watcher dies on the SIGTERM below but stays a zombie until its parent,
      // the plugin, has exited and init has reaped it, which made every stop last 1.5 to 2 s.
      List<ProcessHandle> awaited =
          descendants.stream().filter(d -> !PluginSupervisor.isWatcher(d)).toList();
      process.destroy();
      descendants.forEach(ProcessHandle::destroy);
      long deadline = startNanos + grace.toNanos();
      try {
        process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        for (ProcessHandle d : awaited) {
          long left = deadline - System.nanoTime();
          if (left > 0 && d.isAlive()) {
            d.onExit().get(left, TimeUnit.NANOSECONDS);
          }
        }
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (Exception e) {
        // Timed out waiting for a descendant: it is killed below.
      }
      boolean forced = false;
      if (process.isAlive()) {
        forced = true;
        process.destroyForcibly();
      }
      for (ProcessHandle d : descendants) {
        if (d.isAlive()) {
          forced = true;
          d.destroyForcibly();
        }
      }
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      logs.awaitDrained(1000);
      logs.logger()
          .info(
              "stopped plugin {} (pid {}){} in {} ms{}",
              spec.binary(),
              pid(),
              exitCode().isPresent() ? ", exit code " + exitCode().getAsInt() : " (still alive!)",
              (System.nanoTime() - startNanos) / 1_000_000,
              forced ? " (killed after a grace period of " + grace + ")" : "");
    } catch (RuntimeException e) {
      logs.logger().warn("error while stopping plugin {}: {}", spec.binary(), e.toString());
    } finally {
      removeShutdownHook();
      SocketDirs.deleteQuietly(socketDir);
      SocketDirs.deleteQuietly(ownedWorkDir);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return describe();
  }

  private static void closeQuietly(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  private void killOnJvmExit() {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    try {
      process.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    SocketDirs.deleteQuietly(socketDir);
    SocketDirs.deleteQuietly(ownedWorkDir);
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook runs (harmlessly) on a stopped process.
    }
  }

  /** Finds a free loopback port by binding port 0, as the CLI does (racy, but only briefly). */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
