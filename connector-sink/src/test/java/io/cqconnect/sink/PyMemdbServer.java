package io.cqconnect.sink;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Python SDK's memdb plugin as a standalone server on a fixed loopback port, so a sink can dial
 * it ({@code plugin.address}), this test can {@code Read} back what the sink wrote, and the server
 * can be killed and started again at the same address. Its rows live only in its process.
 */
final class PyMemdbServer implements AutoCloseable {

  private static final Duration READY = Duration.ofSeconds(60);

  private final Path logDir;
  private final int port;
  private Process process;
  private PluginConnection reader;
  private int starts;

  private PyMemdbServer(Path logDir, int port) {
    this.logDir = logDir;
    this.port = port;
  }

  /** Starts memdb on a free loopback port and waits until it answers. */
  static PyMemdbServer start(Path logDir) {
    PyMemdbServer server = new PyMemdbServer(logDir, freePort());
    server.restart();
    return server;
  }

  /** The gRPC target, {@code 127.0.0.1:<port>}. */
  String target() {
    return "127.0.0.1:" + port;
  }

  /** A connection of this test (not the sink's) to the running server, for Read. */
  PluginConnection reader() {
    return reader;
  }

  /**
   * Starts a new process at the same address (after {@link #kill()}) and waits until it answers.
   */
  void restart() {
    Path log = logDir.resolve("py-memdb-" + (++starts) + ".log");
    try {
      process =
          new ProcessBuilder(
                  Fixtures.binary(Fixtures.PY_MEMDB).toString(),
                  "serve",
                  "--address",
                  target(),
                  "--log-format",
                  "json",
                  "--log-level",
                  "info")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + Fixtures.PY_MEMDB + " at " + target(), e);
    }
    try {
      reader = PluginConnection.dial(target(), READY, Duration.ofSeconds(30), 200 * 1024 * 1024);
    } catch (RuntimeException e) {
      kill();
      throw new AssertionError(
          Fixtures.PY_MEMDB + " at " + target() + " did not answer; its output: " + read(log), e);
    }
  }

  /** SIGKILL: the rows it held are gone with it. */
  void kill() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
