package io.cqconnect.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cq-state-server} in a JVM of its own ({@code io.cqconnect.state.CqStateServer} on the test
 * classpath), listening on a free loopback port, as a user runs it beside the CloudQuery CLI. The
 * address is read from its "listening on" log line.
 */
final class CliStateServer implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("listening on (127\\.0\\.0\\.1:\\d+) with state in");

  private final Process process;
  private final String address;
  private final Path log;

  private CliStateServer(Process process, String address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /** Starts the server on {@code db}, logging to {@code log}; waits until it listens. */
  static CliStateServer start(CliStateDb db, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The standalone jar's manifest opens java.nio for Arrow; started from a classpath the flag is
    // needed, or every Write fails to decode its Arrow record.
    command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.cqconnect.state.CqStateServer");
    // DEBUG logs every RPC as it arrives: tests wait for those lines in the log.
    command.addAll(List.of("--address", "127.0.0.1:0", "--log-level", "debug"));
    command.addAll(db.serverArgs());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(read(log));
      if (m.find()) {
        return new CliStateServer(process, m.group(1), log);
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "cq-state-server exited with " + process.exitValue() + ":\n" + read(log));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new AssertionError("cq-state-server did not listen within 60 s:\n" + read(log));
  }

  /** The {@code host:port} the CLI's backend_options.connection and Connect's mirror dial. */
  String address() {
    return address;
  }

  /** Everything the server logged so far (at DEBUG: each RPC as it arrives). */
  String output() {
    return read(log);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM (the server's shutdown hook closes the store), SIGKILL after 10 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
