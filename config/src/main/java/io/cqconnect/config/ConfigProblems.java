package io.cqconnect.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Cross-field validation messages keyed by the config key that caused them, so {@code
 * Connector.validate()} can attach each one to its key.
 */
public final class ConfigProblems {

  private final Map<String, List<String>> byKey = new LinkedHashMap<>();

  /** Records {@code message} against {@code key}. */
  public ConfigProblems add(String key, String message) {
    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    return this;
  }

  /** Records every message of {@code other}. */
  public ConfigProblems addAll(ConfigProblems other) {
    other.byKey.forEach((key, messages) -> messages.forEach(m -> add(key, m)));
    return this;
  }

  /** True when no message was recorded. */
  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** The messages per key, in the order they were found. */
  public Map<String, List<String>> asMap() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    byKey.forEach((key, messages) -> copy.put(key, List.copyOf(messages)));
    return Collections.unmodifiableMap(copy);
  }

  /** The messages recorded for {@code key}, empty when none. */
  public List<String> messages(String key) {
    return List.copyOf(byKey.getOrDefault(key, List.of()));
  }

  /**
   * Adds every message to the matching {@link ConfigValue} of {@code config} (creating one for a
   * key the ConfigDef does not know, such as a {@code plugin.spec.var.*} key) and returns it.
   */
  public Config attachTo(Config config) {
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    for (ConfigValue value : config.configValues()) {
      values.put(value.name(), value);
    }
    List<ConfigValue> all = new ArrayList<>(config.configValues());
    byKey.forEach(
        (key, messages) -> {
          ConfigValue value = values.get(key);
          if (value == null) {
            value = new ConfigValue(key);
            values.put(key, value);
            all.add(value);
          }
          for (String message : messages) {
            value.addErrorMessage(message);
          }
        });
    return new Config(all);
  }

  /** One line per message, {@code key: message}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    byKey.forEach(
        (key, messages) ->
            messages.forEach(
                m -> out.append(out.length() == 0 ? "" : "\n").append(key).append(": ").append(m)));
    return out.toString();
  }
}
