package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * JSON over HTTP for the tests that talk to processes through their HTTP APIs (a worker's REST API,
 * Prometheus's query API, the JMX exporter's endpoint); fails the test on an unexpected status.
 */
final class HttpJson {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private HttpJson() {}

  /** GETs {@code url}, asserts 200 and parses the body. */
  static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** PUTs {@code body} as JSON to {@code url} and asserts 200 or 201. */
  static void put(String url, Map<String, String> body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("PUT " + url + ": " + r.body()).isIn(200, 201);
  }
}
