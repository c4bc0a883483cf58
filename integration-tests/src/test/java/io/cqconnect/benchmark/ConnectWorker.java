package io.cqconnect.benchmark;

import io.cqconnect.distribution.testing.LocalKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A KRaft broker and one distributed Connect worker as separate processes (test-harness {@link
 * LocalKafka}) with the packaged plugin on {@code plugin.path}; REST calls and topic end offsets.
 */
final class ConnectWorker implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final LocalKafka kafka;
  private final LocalKafka.Worker worker;
  private final Admin admin;

  private ConnectWorker(LocalKafka kafka, LocalKafka.Worker worker) {
    this.kafka = kafka;
    this.worker = worker;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    this.admin = Admin.create(p);
  }

  /** Starts the broker and a worker whose JMX listens on {@code jmxPort}. */
  static ConnectWorker start(Path work, int jmxPort) throws Exception {
    LocalKafka kafka = LocalKafka.start(Files.createDirectories(work.resolve("kafka")));
    try {
      int rest = LocalKafka.freePort();
      Path plugins = Files.createDirectories(work.resolve("plugins"));
      Files.createSymbolicLink(plugins.resolve("cq-connect"), LocalKafka.pluginDir());
      Path props = work.resolve("worker.properties");
      Files.write(
          props,
          List.of(
              "bootstrap.servers=" + kafka.bootstrap(),
              "group.id=cq-benchmark",
              "listeners=http://127.0.0.1:" + rest,
              "rest.advertised.host.name=127.0.0.1",
              "rest.advertised.port=" + rest,
              "config.storage.topic=_configs",
              "offset.storage.topic=_offsets",
              "status.storage.topic=_status",
              "config.storage.replication.factor=1",
              "offset.storage.replication.factor=1",
              "status.storage.replication.factor=1",
              // The image's defaults (docker/connect-distributed.properties): what a new user
              // gets unless a connector overrides them; each path here sets its own.
              "key.converter=org.apache.kafka.connect.json.JsonConverter",
              "value.converter=org.apache.kafka.connect.json.JsonConverter",
              "key.converter.schemas.enable=false",
              "value.converter.schemas.enable=false",
              "producer.batch.size=262144",
              "producer.compression.type=lz4",
              "offset.flush.interval.ms=1000",
              "plugin.path=" + plugins,
              "plugin.discovery=service_load"));
      return new ConnectWorker(kafka, kafka.startWorker("worker", props, rest, jmxPort, Map.of()));
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
  }

  LocalKafka.Worker worker() {
    return worker;
  }

  String bootstrap() {
    return kafka.bootstrap();
  }

  /** PUT /connectors/NAME/config. */
  void put(String name, Map<String, String> config) throws Exception {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, String> e : config.entrySet()) {
      json.append(json.length() > 1 ? "," : "")
          .append(quote(e.getKey()))
          .append(':')
          .append(quote(e.getValue()));
    }
    send("PUT", "/connectors/" + name + "/config", json.append('}').toString());
  }

  void restartTask(String name) throws Exception {
    send("POST", "/connectors/" + name + "/tasks/0/restart", "");
  }

  void delete(String name) throws Exception {
    send("DELETE", "/connectors/" + name, "");
  }

  /** Sum of the end offsets of {@code topics} (0 for a topic not created yet). */
  long endOffsets(List<String> topics) throws Exception {
    Set<String> existing = admin.listTopics().names().get();
    Map<TopicPartition, OffsetSpec> query = new HashMap<>();
    for (String t : topics) {
      if (existing.contains(t)) {
        query.put(new TopicPartition(t, 0), OffsetSpec.latest());
      }
    }
    if (query.isEmpty()) {
      return 0;
    }
    return admin.listOffsets(query).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }

  /** Polls every 50 ms until the end offsets of {@code topics} sum to at least {@code n}. */
  void awaitOffsets(List<String> topics, long n, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen = 0;
    while (System.nanoTime() < deadline) {
      seen = endOffsets(topics);
      if (seen >= n) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "topics "
            + topics
            + " hold "
            + seen
            + " records, expected "
            + n
            + " within "
            + timeout
            + "; worker log:\n"
            + worker.logTail(40));
  }

  /** Bytes on disk of the given topics' partitions (the broker's log segments). */
  long bytes(List<String> topics) throws Exception {
    Map<Integer, Map<String, LogDirDescription>> dirs =
        admin.describeLogDirs(List.of(1)).allDescriptions().get();
    Set<String> wanted = topics.stream().collect(Collectors.toSet());
    long bytes = 0;
    for (LogDirDescription d : dirs.getOrDefault(1, Map.of()).values()) {
      for (Map.Entry<TopicPartition, ReplicaInfo> r : d.replicaInfos().entrySet()) {
        if (wanted.contains(r.getKey().topic())) {
          bytes += r.getValue().size();
        }
      }
    }
    return bytes;
  }

  private void send(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(worker.restUrl() + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  @Override
  public void close() {
    admin.close();
    kafka.close();
  }
}
