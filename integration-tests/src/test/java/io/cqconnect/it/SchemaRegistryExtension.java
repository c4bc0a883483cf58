package io.cqconnect.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real schema registry server on loopback for one IT class: Apicurio Registry (its Maven Central
 * distribution, which the integration-tests POM unpacks into {@code target/apicurio-registry}) with
 * in-memory storage, started as a process before the class and stopped after it. Also gives the
 * converter settings that point Apicurio's Connect converters at it, and reads its REST API. The
 * first of those waits until the registry is ready, so the registry starts while the extensions
 * after it (a Connect cluster) start: register it before them.
 *
 * <p>Register it in a static field: {@code @RegisterExtension static final SchemaRegistryExtension
 * REGISTRY = new SchemaRegistryExtension();}. A class that needs the registry only in some
 * configurations gives a condition instead, and no registry starts when it answers no.
 */
final class SchemaRegistryExtension implements BeforeAllCallback, AfterAllCallback {

  /** Startup takes about 15 s on an idle machine; CI shares two cores with the tests. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Predicate<ExtensionContext> wanted;
  private Process process;
  private Path log;
  private int port;
  private boolean ready;

  /** A registry for every class that registers the extension. */
  SchemaRegistryExtension() {
    this(context -> true);
  }

  /**
   * A registry only for the classes {@code wanted} accepts, asked before the class's first test
   * (under {@code @TestInstance(PER_CLASS)} the context holds the test instance): for the others no
   * process starts, and asking for the registry's URL or converters fails.
   */
  SchemaRegistryExtension(Predicate<ExtensionContext> wanted) {
    this.wanted = wanted;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    process = null;
    ready = false;
    if (!wanted.test(context)) {
      return;
    }
    String jar = System.getProperty("cq.apicurio.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "No Apicurio Registry server at "
              + jar
              + " (system property cq.apicurio.jar): run the ITs through Maven"
              + " (mvn verify -pl integration-tests -am ...), whose pre-integration-test phase"
              + " unpacks io.apicurio:apicurio-registry-app:tar.gz:all into"
              + " integration-tests/target/apicurio-registry");
    }
    port = freePort();
    Path logs = Files.createDirectories(Path.of("target", "registry-logs"));
    log = logs.resolve(context.getRequiredTestClass().getSimpleName() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx384m",
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port,
                    // The in-memory (H2) storage is the default.
                    "-Dquarkus.log.console.color=false",
                    "-jar",
                    jar))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  /** Waits, the first time only, until the registry started by {@link #beforeAll} is ready. */
  private synchronized void awaitReady() {
    if (ready) {
      return;
    }
    if (process == null) {
      throw new IllegalStateException(
          "No schema registry: register SchemaRegistryExtension in a static field annotated"
              + " @RegisterExtension, use it from @BeforeAll or later, and only in a class its"
              + " condition accepts");
    }
    try {
      pollReady();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
    }
    ready = true;
  }

  private void pollReady() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry exited with code " + process.exitValue() + " at start; see " + log);
      }
      try {
        HttpResponse<Void> health =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "Apicurio Registry was not ready within " + START_TIMEOUT + "; see " + log);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  /** The registry's own REST API (v2), once the registry is ready. */
  String apiUrl() {
    awaitReady();
    return base() + "/apis/registry/v2";
  }

  /**
   * Connector settings that make Apicurio's converter {@code converterClass} write keys and values
   * through this registry, registering schemas as they come (subjects {@code <topic>-key} and
   * {@code <topic>-value} in group {@code default}), the schema id in the payload's first bytes.
   */
  Map<String, String> converters(String converterClass) {
    Map<String, String> props = new HashMap<>();
    for (String side : List.of("key.converter", "value.converter")) {
      props.put(side, converterClass);
      props.put(side + ".apicurio.registry.url", apiUrl());
      props.put(side + ".apicurio.registry.auto-register", "true");
      props.put(side + ".apicurio.registry.headers.enabled", "false");
    }
    return props;
  }

  /** The versions registered for artifact {@code id} (for example {@code <topic>-value}). */
  List<String> versions(String artifactId) throws IOException, InterruptedException {
    JsonNode meta = get("/groups/default/artifacts/" + artifactId + "/versions");
    return meta.path("versions").findValuesAsText("version");
  }

  /** The content of version {@code version} of artifact {@code id}. */
  JsonNode schema(String artifactId, String version) throws IOException, InterruptedException {
    return get("/groups/default/artifacts/" + artifactId + "/versions/" + version);
  }

  /**
   * The registry's type of artifact {@code id}: {@code AVRO}, {@code KCONNECT}, {@code JSON}, ...
   */
  String artifactType(String artifactId) throws IOException, InterruptedException {
    return get("/groups/default/artifacts/" + artifactId + "/meta").path("type").asText();
  }

  /** How many artifacts (subjects) the registry holds. */
  long artifactCount() throws IOException, InterruptedException {
    return get("/search/artifacts?limit=1").path("count").asLong();
  }

  /** The schema a payload's global id names. */
  JsonNode schemaByGlobalId(long globalId) throws IOException, InterruptedException {
    return get("/ids/globalIds/" + globalId);
  }

  /** Sets a compatibility rule (BACKWARD, FORWARD, FULL, NONE, ...) on one artifact. */
  void compatibility(String artifactId, String level) throws IOException, InterruptedException {
    String body = "{\"type\":\"COMPATIBILITY\",\"config\":\"" + level + "\"}";
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(apiUrl() + "/groups/default/artifacts/" + artifactId + "/rules"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "setting " + level + " on " + artifactId + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /**
   * Registers {@code schema} (Avro JSON) as a new version of {@code artifactId}; the HTTP status
   * (200 when the artifact's rules accept it, 409 when they reject it) and the answer's body.
   */
  HttpResponse<String> register(String artifactId, String schema)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(apiUrl() + "/groups/default/artifacts/" + artifactId + "/versions"))
            .header("Content-Type", "application/json")
            .header("X-Registry-ArtifactType", "AVRO")
            .POST(HttpRequest.BodyPublishers.ofString(schema))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(apiUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
