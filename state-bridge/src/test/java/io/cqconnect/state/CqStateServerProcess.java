package io.cqconnect.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code cq-state-server} jar (built by {@code mvn package}) as a real process on a
 * free loopback port over a SQLite file; {@link #close()} stops it with SIGTERM.
 */
final class CqStateServerProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) with state");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> port = new CompletableFuture<>();
  private final Thread reader;
  private final String target;

  private CqStateServerProcess(Path db) throws IOException {
    Path jar = Path.of(System.getProperty("cq.state.server.jar", "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          "the standalone cq-state-server jar "
              + jar
              + " is missing: run this test with mvn verify (it is built in the package phase)");
    }
    process =
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
    reader = new Thread(this::readLines, "cq-state-server-output");
    reader.start();
    try {
      target = "127.0.0.1:" + port.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      close();
      throw new AssertionError("cq-state-server did not start listening; output: " + output, e);
    }
  }

  /** Starts the server with its state in SQLite file {@code db} and waits until it listens. */
  static CqStateServerProcess start(Path db) throws IOException {
    return new CqStateServerProcess(db);
  }

  /** The gRPC target, {@code 127.0.0.1:<port>}. */
  String target() {
    return target;
  }

  /** Every output line so far. */
  List<String> output() {
    return List.copyOf(output);
  }

  private void readLines() {
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
      port.completeExceptionally(new IllegalStateException("cq-state-server exited"));
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
  }

  /** SIGTERM, then waits up to 30 s for the process and its output to end. */
  @Override
  public void close() {
    // SIGTERM through the handle: Process.destroy() would also close our end of its output.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
