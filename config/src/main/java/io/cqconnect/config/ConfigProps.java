package io.cqconnect.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Small readers of raw connector properties, for cross-field checks before parsing. */
final class ConfigProps {

  private ConfigProps() {}

  /** Why {@code path} cannot be launched on this machine, or {@code null} when it can. */
  static String binaryProblem(String path) {
    Path binary = Path.of(path);
    if (!binary.isAbsolute()) {
      return "'" + path + "' must be absolute: workers do not share a working directory";
    }
    if (!Files.exists(binary)) {
      return "'" + path + "' does not exist on this worker; install the plugin binary there";
    }
    if (Files.isDirectory(binary)) {
      return "'" + path + "' is a directory; give the plugin binary itself";
    }
    if (!Files.isExecutable(binary)) {
      return "'" + path + "' is not executable; chmod +x it";
    }
    return null;
  }

  static Optional<String> nonEmpty(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static String trimmed(Map<String, String> props, String key) {
    String value = props.get(key);
    return value == null ? "" : value.trim();
  }

  static Long parseLong(Map<String, String> props, String key) {
    try {
      String value = trimmed(props, key);
      return value.isEmpty() ? null : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Map<String, String> withPrefix(Map<String, String> props, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && k.length() > prefix.length()) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }
}
