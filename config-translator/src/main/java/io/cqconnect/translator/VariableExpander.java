package io.cqconnect.translator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps CloudQuery's spec variables to Kafka Connect config providers, so secrets are read on the
 * worker and never enter the generated JSON.
 *
 * <ul>
 *   <li>{@code ${NAME}} (an environment variable) becomes {@code ${env:NAME}}
 *       (EnvVarConfigProvider).
 *   <li>{@code ${file:PATH}} (a whole file's contents) becomes {@code ${dir:/abs/dir:file}}
 *       (DirectoryConfigProvider returns a file's whole contents; FileConfigProvider would read a
 *       properties file instead). A relative PATH is resolved against the base directory, as the
 *       CLI resolves it against its working directory.
 *   <li>{@code ${time:...}} and anything else with a colon are errors.
 * </ul>
 *
 * Inside a plugin's {@code spec} the provider placeholder goes into a separate variable ({@code
 * plugin.spec.var.NAME}) and the spec keeps {@code ${NAME}}: see {@link SpecTemplate}.
 */
final class VariableExpander {

  /** CloudQuery's variable syntax. */
  static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)\\}");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

  private final Path baseDir;
  private final List<String> notes;
  private final Set<String> envNames = new LinkedHashSet<>();
  private final Set<Path> files = new LinkedHashSet<>();

  VariableExpander(Path baseDir, List<String> notes) {
    this.baseDir = baseDir.toAbsolutePath().normalize();
    this.notes = notes;
  }

  /** A plugin spec as JSON (null when empty) with the variables it references. */
  record ExpandedSpec(String json, Map<String, String> vars) {}

  /** Environment variables referenced so far, in first-seen order. */
  Set<String> envNames() {
    return envNames;
  }

  /** Files referenced so far, absolute. */
  Set<Path> files() {
    return files;
  }

  /**
   * Rewrites the variables of a plain config value into provider placeholders; {@code null} (with
   * an error added) when one cannot be mapped.
   */
  String inline(SpecDocument doc, String path, String text, List<SpecError> errors) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    while (m.find()) {
      String placeholder = placeholder(doc, path, m.group(1), errors);
      ok &= placeholder != null;
      m.appendReplacement(out, Matcher.quoteReplacement(placeholder == null ? "" : placeholder));
    }
    m.appendTail(out);
    return ok ? out.toString() : null;
  }

  /**
   * Copies a plugin spec, replacing each variable by a {@code ${NAME}} reference and collecting
   * {@code NAME -> provider placeholder}; errors are added for variables that cannot be mapped and
   * for {@code @@plugins} references (only {@code backend_options.connection} may hold them).
   */
  ExpandedSpec spec(SpecDocument doc, JsonNode spec, List<SpecError> errors) {
    if (spec == null || spec.isNull() || (spec.isObject() && spec.isEmpty())) {
      return new ExpandedSpec(null, Map.of());
    }
    Map<String, String> vars = new LinkedHashMap<>();
    Map<Path, String> fileVars = new LinkedHashMap<>();
    JsonNode copy = copy(doc, "spec", spec, vars, fileVars, errors);
    try {
      return new ExpandedSpec(JSON.writeValueAsString(copy), vars);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed YAML tree must serialise to JSON", e);
    }
  }

  private JsonNode copy(
      SpecDocument doc,
      String path,
      JsonNode node,
      Map<String, String> vars,
      Map<Path, String> fileVars,
      List<SpecError> errors) {
    if (node instanceof ObjectNode object) {
      ObjectNode out = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String childPath = path + "." + field.getKey();
        out.set(field.getKey(), copy(doc, childPath, field.getValue(), vars, fileVars, errors));
      }
      return out;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = JSON.createArrayNode();
      for (int i = 0; i < array.size(); i++) {
        out.add(copy(doc, path + "[" + i + "]", array.get(i), vars, fileVars, errors));
      }
      return out;
    }
    if (!node.isTextual()) {
      return node;
    }
    String text = node.textValue();
    if (text.contains("@@plugins.")) {
      errors.add(
          doc.error(
              path,
              "@@plugins references are supported only in backend_options.connection: in Connect"
                  + " the source task gives the plugin its own state endpoint"));
    }
    if (text.startsWith("./") || text.startsWith("../")) {
      notes.add(
          doc.note(
              path,
              "'"
                  + text
                  + "' looks like a relative path; on a Connect worker it resolves against the"
                  + " worker's working directory, so prefer an absolute path"));
    }
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String content = m.group(1);
      String placeholder = placeholder(doc, path, content, errors);
      String name;
      if (placeholder == null) {
        name = content;
      } else if (content.startsWith("file:")) {
        Path file = resolve(content.substring("file:".length()));
        name = fileVars.computeIfAbsent(file, f -> uniqueFileVar(f, vars));
      } else {
        name = content;
      }
      if (placeholder != null) {
        vars.put(name, placeholder);
      }
      m.appendReplacement(out, Matcher.quoteReplacement("${" + name + "}"));
    }
    m.appendTail(out);
    return TextNode.valueOf(out.toString());
  }

  private String placeholder(
      SpecDocument doc, String path, String content, List<SpecError> errors) {
    if (content.startsWith("file:")) {
      Path file = resolve(content.substring("file:".length()));
      Path dir = file.getParent();
      String name = file.getFileName() == null ? "" : file.getFileName().toString();
      if (dir == null
          || name.isEmpty()
          || (dir + name).contains(":")
          || (dir + name).contains("}")) {
        errors.add(
            doc.error(
                path,
                "${"
                    + content
                    + "} cannot be mapped to a Connect DirectoryConfigProvider placeholder (the"
                    + " path must name a file and contain no ':' or '}')"));
        return null;
      }
      if (files.add(file)) {
        notes.add(
            doc.note(
                path,
                "${"
                    + content
                    + "} becomes ${dir:"
                    + dir
                    + ":"
                    + name
                    + "}: every worker reads the whole file "
                    + file
                    + (Files.isRegularFile(file) ? "" : " (not found on this machine)")));
      }
      return "${dir:" + dir + ":" + name + "}";
    }
    if (content.startsWith("time:")) {
      errors.add(
          doc.error(
              path,
              "${"
                  + content
                  + "} is not supported: Connect has no provider for relative times, and a value"
                  + " fixed when translating would go stale; use an absolute value"));
      return null;
    }
    if (content.contains(":")) {
      errors.add(
          doc.error(
              path,
              "${"
                  + content
                  + "} is not a CloudQuery variable: use ${NAME} for an environment variable or"
                  + " ${file:PATH} for a file's contents"));
      return null;
    }
    envNames.add(content);
    return "${env:" + content + "}";
  }

  private Path resolve(String path) {
    return baseDir.resolve(path).normalize();
  }

  private static String uniqueFileVar(Path file, Map<String, String> vars) {
    String base = "file." + SAFE_NAME.matcher(file.getFileName().toString()).replaceAll("_");
    String name = base;
    for (int n = 2; vars.containsKey(name); n++) {
      name = base + "." + n;
    }
    return name;
  }
}
