package io.cqconnect.translator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Creates or updates connectors through the Kafka Connect REST API. */
public final class ConnectRestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome of one request: HTTP status and a one-line description. */
  public record Result(String connector, int status, String message) {

    /** True for 2xx answers. */
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final URI baseUrl;
  private final HttpClient http;
  private final Duration timeout;

  /** A client for the worker at {@code baseUrl}, e.g. {@code http://localhost:8083}. */
  public ConnectRestClient(URI baseUrl, Duration timeout) {
    String text = baseUrl.toString();
    this.baseUrl = URI.create(text.endsWith("/") ? text : text + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * {@code PUT /connectors/<name>/config}: creates the connector (201) or updates it (200). Never
   * throws for HTTP or I/O failures; the result says what happened.
   */
  public Result put(ConnectorRequest request) {
    String name = URLEncoder.encode(request.name(), StandardCharsets.UTF_8).replace("+", "%20");
    HttpRequest httpRequest =
        HttpRequest.newBuilder(baseUrl.resolve("connectors/" + name + "/config"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(request.configJson().toString()))
            .build();
    try {
      HttpResponse<String> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      String message =
          switch (status) {
            case 201 -> "created";
            case 200 -> "updated";
            default -> "failed: " + errorMessage(response.body());
          };
      return new Result(request.name(), status, message);
    } catch (IOException e) {
      return new Result(request.name(), 0, "failed: cannot reach " + baseUrl + " (" + e + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(request.name(), 0, "failed: interrupted");
    }
  }

  private static String errorMessage(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return node.get("message").asText();
      }
    } catch (IOException e) {
      // Not JSON: show the raw body below.
    }
    return body == null || body.isBlank() ? "(empty response)" : body.strip();
  }
}
