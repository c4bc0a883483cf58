package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqconnect.distribution.testing.LocalKafka;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Prometheus server (the {@code prometheus} binary of Debian's package, found on PATH) on
 * loopback, scraping one target every second and evaluating the given rule file every second, with
 * its data in a temporary directory. {@link #close()} stops it.
 */
final class LocalPrometheus implements AutoCloseable {

  private final Process process;
  private final String url;
  private final Path log;

  private LocalPrometheus(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** The {@code prometheus} binary on PATH, if any. */
  static Optional<Path> binary() {
    return which("prometheus");
  }

  /** An executable called {@code name} in a PATH directory, if any. */
  static Optional<Path> which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Starts Prometheus scraping {@code target} (host:port) and loading {@code rules}. */
  static LocalPrometheus start(Path binary, Path work, String target, Path rules) throws Exception {
    int port = LocalKafka.freePort();
    Path config = work.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - " + rules.toAbsolutePath(),
            "scrape_configs:",
            "  - job_name: cq-connect",
            "    static_configs:",
            "      - targets: [\"" + target + "\"]",
            ""));
    Path log = work.resolve("prometheus.log");
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(work.resolve("prometheus-data")),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalPrometheus prometheus = new LocalPrometheus(p, "http://127.0.0.1:" + port, log);
    try {
      prometheus.awaitReady(Duration.ofSeconds(60));
    } catch (Exception | AssertionError e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  String url() {
    return url;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited; log:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            HttpJson.HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // Not listening yet.
      }
      Thread.sleep(300);
    }
    throw new AssertionError("prometheus not ready within " + timeout + "; log " + log);
  }

  /** The {@code data.result} of an instant query (fails on an error answer). */
  JsonNode query(String promql) throws Exception {
    JsonNode answer =
        HttpJson.get(
            url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(answer.path("status").asText()).as(promql + ": " + answer).isEqualTo("success");
    return answer.path("data").path("result");
  }

  /** Every rule of the loaded rule files, as {@code /api/v1/rules} lists them. */
  List<JsonNode> rules() throws Exception {
    JsonNode answer = HttpJson.get(url + "/api/v1/rules");
    List<JsonNode> rules = new java.util.ArrayList<>();
    for (JsonNode group : answer.path("data").path("groups")) {
      group.path("rules").forEach(rules::add);
    }
    return rules;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
