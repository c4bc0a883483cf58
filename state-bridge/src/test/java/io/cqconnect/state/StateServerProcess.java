package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code cq-state-server} jar running as a process of its own on a free loopback port:
 * started with {@code java -jar} alone, stopped with SIGTERM, its output kept for asserts.
 */
final class StateServerProcess implements AutoCloseable {

  private static final Pattern LISTENING =
      Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) with state");

  private final Process process;
  private final Thread reader;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final String target;
  private boolean stopped;

  /** Starts the jar (system property {@code cq.state.server.jar}) on {@code jdbcUrl}. */
  StateServerProcess(String jdbcUrl) throws Exception {
    Path jar = Path.of(System.getProperty("cq.state.server.jar", "missing"));
    assertThat(jar).as("the standalone jar (built by mvn package)").isRegularFile();
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--address",
                "127.0.0.1:0",
                "--jdbc-url",
                jdbcUrl,
                "--log-level",
                "debug")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> port = new CompletableFuture<>();
    reader = new Thread(() -> readLines(port), "cq-state-server-it-output");
    reader.start();
    try {
      target = "127.0.0.1:" + port.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** The address a state client dials. */
  String target() {
    return target;
  }

  /** Every line the process printed so far. */
  List<String> output() {
    return List.copyOf(output);
  }

  /** SIGTERM, as an orchestrator stops it; waits for the exit and returns the exit code. */
  int stop() throws InterruptedException {
    if (!stopped) {
      stopped = true;
      // Through the handle: Process.destroy() would also close our end of its output.
      process.toHandle().destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      reader.join(5_000);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void readLines(CompletableFuture<String> port) {
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
