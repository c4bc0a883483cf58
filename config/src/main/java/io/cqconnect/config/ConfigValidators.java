package io.cqconnect.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Single-key validators shared by the connector configs; each names the expected shape. */
public final class ConfigValidators {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HOST_PORT =
      Pattern.compile("^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9_.-]+):([0-9]{1,5})$");
  private static final Pattern TOPIC_CHARS = Pattern.compile("^[A-Za-z0-9._-]*$");

  private ConfigValidators() {}

  /** Empty, {@code null} or a JSON object: a plugin spec. Never echoes the (secret) value. */
  public static ConfigDef.Validator jsonObjectOrNull() {
    return new Described("a JSON object, null, or empty") {
      @Override
      public void ensureValid(String name, Object value) {
        String problem = jsonSpecProblem(text(value));
        if (problem != null) {
          // The value may carry credentials: never put it into the exception.
          throw new ConfigException(name + " " + problem);
        }
      }
    };
  }

  /** Empty, {@code host:port} or {@code unix:///absolute/path}: a gRPC target. */
  public static ConfigDef.Validator grpcTarget() {
    return new Described("empty, host:port or unix:///absolute/socket/path") {
      @Override
      public void ensureValid(String name, Object value) {
        String problem = grpcTargetProblem(text(value));
        if (problem != null) {
          throw new ConfigException(name, value, problem);
        }
      }
    };
  }

  /** A list of {@code from:to} pairs with non-empty sides and no repeated {@code from}. */
  public static ConfigDef.Validator pairList(String fromWhat, String toWhat) {
    return new Described("list of " + fromWhat + ":" + toWhat + " pairs") {
      @Override
      public void ensureValid(String name, Object value) {
        try {
          parsePairs(name, value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
      }
    };
  }

  /** Empty, {@code jdbc:sqlite:...} or {@code jdbc:postgresql:...}. */
  public static ConfigDef.Validator jdbcUrl() {
    return new Described("empty, jdbc:sqlite:<file> or jdbc:postgresql://host:port/db") {
      @Override
      public void ensureValid(String name, Object value) {
        String url = text(value).trim();
        if (!url.isEmpty()
            && !url.startsWith("jdbc:sqlite:")
            && !url.startsWith("jdbc:postgresql:")) {
          throw new ConfigException(
              name,
              JdbcUrls.redact(url),
              "only jdbc:sqlite:<file> and jdbc:postgresql://... are supported");
        }
      }
    };
  }

  /** A list with at least one non-blank entry. */
  public static ConfigDef.Validator nonEmptyList() {
    return new Described("non-empty list") {
      @Override
      public void ensureValid(String name, Object value) {
        if (!(value instanceof List<?> list)
            || list.isEmpty()
            || list.stream().anyMatch(v -> v == null || v.toString().isBlank())) {
          throw new ConfigException(name, value, "must list at least one entry, none blank");
        }
      }
    };
  }

  /** Characters legal in a Kafka topic name (the value may be empty). */
  public static ConfigDef.Validator topicChars() {
    return new Described("letters, digits, '.', '_' and '-'") {
      @Override
      public void ensureValid(String name, Object value) {
        String text = text(value);
        if (!TOPIC_CHARS.matcher(text).matches() || text.length() > 200) {
          throw new ConfigException(
              name, value, "a Kafka topic name part may hold only letters, digits, '.', '_', '-'");
        }
      }
    };
  }

  /** Why {@code json} is not a usable plugin spec, or {@code null} when it is. */
  public static String jsonSpecProblem(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return "is not valid JSON (line "
          + e.getLocation().getLineNr()
          + ", column "
          + e.getLocation().getColumnNr()
          + "): expected the plugin's spec as a JSON object, or null";
    }
    if (node == null || node.isNull() || node.isObject()) {
      return null;
    }
    return "must be a JSON object (the plugin's spec) or null, not a JSON "
        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Why {@code target} is not a usable gRPC target, or {@code null} when it is (or is empty). */
  public static String grpcTargetProblem(String target) {
    if (target == null || target.isBlank()) {
      return null;
    }
    if (target.startsWith("unix:")) {
      String path = target.substring("unix:".length());
      if (path.startsWith("//")) {
        path = path.substring(2);
      }
      return path.startsWith("/") ? null : "a unix target must be unix:///absolute/socket/path";
    }
    var m = HOST_PORT.matcher(target);
    if (!m.matches()) {
      return "expected host:port (for example 127.0.0.1:7777) or unix:///absolute/socket/path";
    }
    int port = Integer.parseInt(m.group(2));
    return port >= 1 && port <= 65535 ? null : "port must be between 1 and 65535";
  }

  /** Parses {@code from:to} pairs (a list or a comma-separated string) keeping their order. */
  public static Map<String, String> parsePairs(String name, Object value) {
    Map<String, String> pairs = new LinkedHashMap<>();
    List<?> entries = value instanceof List<?> list ? list : splitList(text(value));
    for (Object entry : entries) {
      String pair = entry.toString().trim();
      int colon = pair.indexOf(':');
      if (colon <= 0 || colon == pair.length() - 1 || pair.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException(
            "entry '" + pair + "' of " + name + " is not of the form from:to");
      }
      String from = pair.substring(0, colon).trim();
      if (pairs.put(from, pair.substring(colon + 1).trim()) != null) {
        throw new IllegalArgumentException("'" + from + "' appears twice in " + name);
      }
    }
    return pairs;
  }

  private static List<String> splitList(String text) {
    if (text.isBlank()) {
      return List.of();
    }
    return List.of(text.split("\\s*,\\s*"));
  }

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Password password) {
      return password.value() == null ? "" : password.value();
    }
    return value.toString();
  }

  private abstract static class Described implements ConfigDef.Validator {
    private final String description;

    Described(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }
}
