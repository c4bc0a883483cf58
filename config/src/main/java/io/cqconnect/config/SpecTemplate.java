package io.cqconnect.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;

/**
 * A plugin spec (JSON) whose string values may hold {@code ${NAME}} references to variables kept in
 * separate config keys ({@code <spec key>.var.NAME}).
 *
 * <p>Why: Connect's config providers substitute text into a config value without JSON escaping, so
 * a secret with a quote or a newline (a PEM key, a service-account JSON file) would break the spec.
 * The translator therefore leaves {@code ${NAME}} in the spec and puts the provider placeholder
 * ({@code ${env:NAME}}, {@code ${dir:/d:file}}) into {@code <spec key>.var.NAME}; Connect resolves
 * the variable, and this class inserts it into the parsed spec as a proper JSON string. A {@code
 * ${...}} without a colon is left alone by Connect's providers.
 */
public final class SpecTemplate {

  /** A reference {@code ${NAME}}: no colon, so Connect's providers never touch it. */
  public static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)\\}");

  private static final ObjectMapper JSON = new ObjectMapper();

  private SpecTemplate() {}

  /** The names referenced by the string values of {@code specJson}, in first-seen order. */
  public static Set<String> references(String specJson) {
    Set<String> names = new LinkedHashSet<>();
    JsonNode root = parse("spec", specJson);
    collect(root, names);
    return names;
  }

  /**
   * Why the references of {@code specJson} cannot all be resolved from {@code vars}, or {@code
   * null} when they can (or the spec is not valid JSON, which its own validator reports).
   */
  public static String missingVariablesProblem(
      String specJson, Map<String, String> vars, String varPrefix) {
    if (ConfigValidators.jsonSpecProblem(specJson) != null) {
      return null;
    }
    Set<String> missing = new LinkedHashSet<>(references(specJson));
    missing.removeAll(vars.keySet());
    if (missing.isEmpty()) {
      return null;
    }
    StringBuilder keys = new StringBuilder();
    for (String name : missing) {
      keys.append(keys.length() == 0 ? "" : ", ").append(varPrefix).append(name);
    }
    return "references "
        + String.join(", ", missing.stream().map(n -> "${" + n + "}").toList())
        + " but "
        + keys
        + (missing.size() == 1 ? " is" : " are")
        + " not set; set it, for example to ${env:NAME} (worker config.providers=env)";
  }

  /**
   * The spec as compact JSON with every reference replaced by its variable's value; the 4 bytes
   * {@code null} when the spec is empty, as the CloudQuery CLI sends.
   *
   * @throws ConfigException naming {@code specKey} when the spec is not JSON, a reference has no
   *     variable, or a variable still holds an unresolved provider placeholder
   */
  public static String resolve(
      String specKey, String specJson, Map<String, String> vars, String varPrefix) {
    if (specJson == null || specJson.isBlank()) {
      return "null";
    }
    String problem = ConfigValidators.jsonSpecProblem(specJson);
    if (problem != null) {
      throw new ConfigException(specKey + " " + problem);
    }
    for (Map.Entry<String, String> var : vars.entrySet()) {
      if (var.getValue() != null
          && ConfigTransformer.DEFAULT_PATTERN.matcher(var.getValue()).find()) {
        throw new ConfigException(
            varPrefix
                + var.getKey()
                + " still holds a config provider placeholder: the worker did not resolve it. Add"
                + " the provider to the worker config (config.providers=env,dir with"
                + " config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider"
                + " and config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider)"
                + " and check that the variable or file exists on the worker");
      }
    }
    String missing = missingVariablesProblem(specJson, vars, varPrefix);
    if (missing != null) {
      throw new ConfigException(specKey + " " + missing);
    }
    JsonNode root = parse(specKey, specJson);
    try {
      return JSON.writeValueAsString(substitute(root, vars));
    } catch (JsonProcessingException e) {
      throw new ConfigException(specKey + " could not be serialised: " + e.getOriginalMessage());
    }
  }

  private static JsonNode parse(String specKey, String specJson) {
    if (specJson == null || specJson.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(specJson);
    } catch (JsonProcessingException e) {
      throw new ConfigException(specKey + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static void collect(JsonNode node, Set<String> names) {
    if (node.isTextual()) {
      Matcher m = REFERENCE.matcher(node.textValue());
      while (m.find()) {
        names.add(m.group(1));
      }
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, names));
    }
  }

  private static JsonNode substitute(JsonNode node, Map<String, String> vars) {
    if (node.isTextual()) {
      Matcher m = REFERENCE.matcher(node.textValue());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(vars.get(m.group(1))));
      }
      m.appendTail(out);
      return TextNode.valueOf(out.toString());
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), substitute(field.getValue(), vars));
      }
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = JSON.createArrayNode();
      array.forEach(child -> copy.add(substitute(child, vars)));
      return copy;
    }
    return node;
  }
}
