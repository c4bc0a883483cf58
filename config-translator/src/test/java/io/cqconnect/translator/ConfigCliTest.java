package io.cqconnect.translator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SPEC =
      """
      kind: source
      spec: {name: src, path: "127.0.0.1:7000", registry: grpc, tables: [t], destinations: [dst]}
      ---
      kind: destination
      spec:
        name: dst
        path: 127.0.0.1:7001
        registry: grpc
        spec: {token: "${TOKEN}"}
      """;

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private int run(String... args) {
    return ConfigCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Path writeSpec(String text) throws IOException {
    Path spec = dir.resolve("spec.yml");
    Files.writeString(spec, text);
    return spec;
  }

  @Test
  void shouldPrintRequestsAndNotesWhenTranslating() throws Exception {
    Path spec = writeSpec(SPEC);

    int status = run("translate", spec.toString(), "--topic-prefix", "{source}.");

    assertThat(status).isZero();
    JsonNode requests = JSON.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).get("name").asText()).isEqualTo("src");
    assertThat(requests.get(0).get("config").get("topic.prefix").asText()).isEqualTo("src.");
    assertThat(requests.get(1).get("config").get("topics").asText()).isEqualTo("src.t");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("note: every Connect worker's environment must define TOKEN");
  }

  @Test
  void shouldExitWithOneAndPrintErrorsWhenSpecIsBroken() throws Exception {
    Path spec =
        writeSpec(SPEC.replace("registry: grpc, tables: [t]", "registry: docker, tables: [t]"));

    int status = run("translate", spec.toString());

    assertThat(status).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "error: "
                + spec
                + ": document 1 (source \"src\"): registry: docker is not supported in Connect");
  }

  @Test
  void shouldExitWithTwoWhenArgumentsAreWrong() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("translate")).isEqualTo(2);
    assertThat(run("apply", "x.yml")).isEqualTo(2);
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(run("translate", "x.yml", "--nope", "1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("error: apply needs --connect-url")
        .contains("error: unknown command 'frobnicate'")
        .contains("error: unknown option '--nope'");
  }

  @Test
  void shouldPutEachConnectorConfigWhenApplying() throws Exception {
    Map<String, String> bodies = new ConcurrentHashMap<>();
    List<String> paths = new CopyOnWriteArrayList<>();
    startServer(
        exchange -> {
          paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          bodies.put(exchange.getRequestURI().getPath(), body);
          boolean existing = exchange.getRequestURI().getPath().contains("/dst/");
          byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(existing ? 200 : 201, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    Path spec = writeSpec(SPEC);

    int status = run("apply", spec.toString(), "--connect-url", url());

    assertThat(status).isZero();
    assertThat(paths).containsExactly("PUT /connectors/src/config", "PUT /connectors/dst/config");
    JsonNode sink = JSON.readTree(bodies.get("/connectors/dst/config"));
    assertThat(sink.get("connector.class").asText()).isEqualTo(SpecTranslator.SINK_CONNECTOR_CLASS);
    assertThat(sink.get("plugin.spec.var.TOKEN").asText()).isEqualTo("${env:TOKEN}");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("src: created (HTTP 201)\ndst: updated (HTTP 200)\n");
  }

  @Test
  void shouldReportConnectMessageWhenWorkerRejectsConfig() throws Exception {
    startServer(
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] answer =
              "{\"error_code\":400,\"message\":\"Connector configuration is invalid\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(400, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    Path spec = writeSpec(SPEC);

    int status = run("apply", spec.toString(), "--connect-url", url());

    assertThat(status).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("error: src: failed: Connector configuration is invalid (HTTP 400)")
        .contains("error: dst: failed: Connector configuration is invalid (HTTP 400)");
  }

  private void startServer(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", handler);
    server.start();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
