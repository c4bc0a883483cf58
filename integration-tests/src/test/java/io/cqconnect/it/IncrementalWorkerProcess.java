package io.cqconnect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Connect worker in a JVM of its own ({@code ConnectDistributed}, the test classpath), on
 * the embedded broker, so a test can SIGKILL it like a crashed machine: no task stop, no final
 * offset commit, plugin processes killed with it. Talks to it over its REST API.
 */
final class IncrementalWorkerProcess {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final URI url;
  private final Path log;

  private IncrementalWorkerProcess(Process process, URI url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /**
   * Starts worker {@code number} of a cluster whose internal topics are {@code <cluster>-configs},
   * {@code -offsets} and {@code -status}; its output goes to {@code
   * target/worker-logs/<cluster>-<n>.log}. Each worker joins a group of its own ({@code
   * <cluster>-<n>}): a SIGKILLed member would otherwise hold the group until its session expires (6
   * s at least), and which group a worker is in does not change what it reads from the topics.
   */
  static IncrementalWorkerProcess start(String bootstrapServers, String cluster, int number) {
    return start(bootstrapServers, cluster, number, Map.of(), Map.of());
  }

  /** Like {@link #start(String, String, int)}, with more worker properties and environment. */
  static IncrementalWorkerProcess start(
      String bootstrapServers,
      String cluster,
      int number,
      Map<String, String> workerProps,
      Map<String, String> env) {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path dir = Files.createDirectories(Path.of("target", "worker-logs"));
      Map<String, String> props = new LinkedHashMap<>();
      props.put("bootstrap.servers", bootstrapServers);
      props.put("group.id", cluster + "-" + number);
      props.put("config.storage.topic", cluster + "-configs");
      props.put("offset.storage.topic", cluster + "-offsets");
      props.put("status.storage.topic", cluster + "-status");
      props.put("config.storage.replication.factor", "1");
      props.put("offset.storage.replication.factor", "1");
      props.put("status.storage.replication.factor", "1");
      props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
      props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      props.put("offset.flush.interval.ms", "1000");
      props.put("plugin.discovery", "service_load");
      props.put("listeners", "http://127.0.0.1:" + port);
      props.put("rest.advertised.host.name", "127.0.0.1");
      props.put("rest.advertised.port", Integer.toString(port));
      props.put("scheduled.rebalance.max.delay.ms", "1000");
      props.putAll(workerProps);
      Path config = dir.resolve(cluster + "-" + number + ".properties");
      StringBuilder text = new StringBuilder();
      props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Files.writeString(config, text);
      Path log = dir.resolve(cluster + "-" + number + ".log");
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED");
      command.add("-Xmx512m");
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("org.apache.kafka.connect.cli.ConnectDistributed");
      command.add(config.toString());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new IncrementalWorkerProcess(process, URI.create("http://127.0.0.1:" + port), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a Connect worker process", e);
    }
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Whether the REST API answers. */
  boolean answers() {
    try {
      return get("/").statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  void putConnector(String name, Map<String, String> config) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url.resolve("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(config))));
    if (response.statusCode() >= 300) {
      throw new AssertionError(
          "PUT config of " + name + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** The state of every task of the connector ("RUNNING", ...); empty when unknown. */
  List<String> taskStates(String name) {
    HttpResponse<String> response = get("/connectors/" + name + "/status");
    List<String> states = new ArrayList<>();
    if (response.statusCode() == 200) {
      read(response.body()).path("tasks").forEach(t -> states.add(t.path("state").asText()));
    }
    return states;
  }

  /** Committed cursor values by key, from the offsets REST API; empty when it cannot answer. */
  Map<String, String> cursors(String name) {
    HttpResponse<String> response = get("/connectors/" + name + "/offsets");
    Map<String, String> cursors = new HashMap<>();
    if (response.statusCode() == 200) {
      for (JsonNode o : read(response.body()).path("offsets")) {
        if (o.path("partition").has("key")) {
          cursors.put(
              o.path("partition").path("key").asText(), o.path("offset").path("value").asText());
        }
      }
    }
    return cursors;
  }

  /** SIGKILLs the worker JVM and the plugin processes it started, as a machine crash would. */
  int kill() {
    List<ProcessHandle> children = process.toHandle().descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    await(process.toHandle());
    children.forEach(IncrementalWorkerProcess::await);
    return children.size();
  }

  /**
   * SIGKILLs the worker JVM only, touching none of its child processes: what happens to them is up
   * to the product (the plugin watcher), as after the OOM killer.
   */
  void killJvmOnly() {
    process.destroyForcibly();
    await(process.toHandle());
  }

  /** The processes this worker started and that still run (plugins, their watchers). */
  List<ProcessHandle> descendants() {
    return process.toHandle().descendants().toList();
  }

  /** SIGTERM: the worker stops its tasks and commits offsets (Connect's shutdown hook). */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  private static void await(ProcessHandle p) {
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("process " + p.pid() + " did not die after SIGKILL", e);
    }
  }

  /** The body of a GET of {@code path} on the worker's REST API. */
  String body(String path) {
    return get(path).body();
  }

  /** The body of a PUT of {@code json} to {@code path} on the worker's REST API. */
  String put(String path, Map<String, String> json) {
    return send(HttpRequest.newBuilder(url.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(write(json))))
        .body();
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(url.resolve(path)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
