package io.cqconnect.translator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cqconnect.config.ConfigEnum;
import io.cqconnect.config.MigrateMode;
import io.cqconnect.config.PkMode;
import io.cqconnect.config.WriteMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks one CloudQuery spec document as strictly as the CLI (unknown keys are errors, required
 * fields, value types) and turns it into a {@link SourceSpec} or {@link DestinationSpec}.
 */
final class SpecParser {

  private static final List<String> DOCUMENT_KEYS = List.of("kind", "spec");
  private static final List<String> COMMON_KEYS =
      List.of("name", "path", "registry", "version", "docker_registry_auth_token", "spec");
  static final List<String> SOURCE_KEYS =
      concat(
          COMMON_KEYS,
          "tables",
          "skip_tables",
          "skip_dependent_tables",
          "destinations",
          "backend_options",
          "deterministic_cq_id",
          "otel_endpoint",
          "otel_endpoint_insecure");
  static final List<String> DESTINATION_KEYS =
      concat(
          COMMON_KEYS,
          "write_mode",
          "migrate_mode",
          "pk_mode",
          "sync_group_id",
          "send_sync_summary",
          "transformers");
  private static final List<String> BACKEND_KEYS = List.of("table_name", "connection");

  private final VariableExpander expander;
  private final PluginLocator locator;
  private final List<String> notes;

  SpecParser(VariableExpander expander, PluginLocator locator, List<String> notes) {
    this.expander = expander;
    this.locator = locator;
    this.notes = notes;
  }

  /** A {@link SourceSpec}, a {@link DestinationSpec}, or {@code null} when the kind is unusable. */
  Object parse(SpecDocument doc, List<SpecError> errors) {
    unknownKeys(doc, doc.root(), "", DOCUMENT_KEYS, "", errors);
    JsonNode kindNode = doc.root().get("kind");
    if (kindNode == null || kindNode.isNull()) {
      errors.add(doc.error("kind", "required; use source or destination"));
      return null;
    }
    String kind = kindNode.isTextual() ? kindNode.textValue() : kindNode.toString();
    if (kind.equals("transformer")) {
      errors.add(
          doc.error(
              "kind",
              "transformer is not supported in Connect: use Single Message Transforms"
                  + " (transforms=...) on the connector instead"));
      return null;
    }
    if (!kind.equals("source") && !kind.equals("destination")) {
      errors.add(doc.error("kind", "unknown kind '" + kind + "'; use source or destination"));
      return null;
    }
    JsonNode specNode = doc.root().get("spec");
    if (!(specNode instanceof ObjectNode spec)) {
      errors.add(
          doc.error(
              "spec",
              specNode == null || specNode.isNull()
                  ? "required: the " + kind + "'s settings (name, path, ...)"
                  : "must be a mapping"));
      return null;
    }
    boolean source = kind.equals("source");
    unknownKeys(doc, spec, "", source ? SOURCE_KEYS : DESTINATION_KEYS, " for a " + kind, errors);
    String name = text(doc, spec, "name", errors);
    if (name == null || name.isEmpty()) {
      errors.add(doc.error("name", "required"));
    } else if (name.contains("${")) {
      errors.add(
          doc.error("name", "variables are not supported here: it becomes the connector name"));
    }
    String path = text(doc, spec, "path", errors);
    String registry = text(doc, spec, "registry", errors);
    String version = text(doc, spec, "version", errors);
    PluginLocator.Location location = null;
    if (path == null || path.isEmpty()) {
      errors.add(doc.error("path", "required"));
    } else {
      location = locator.locate(doc, registry, path, version, errors);
    }
    if (text(doc, spec, "docker_registry_auth_token", errors) != null) {
      notes.add(doc.note("docker_registry_auth_token", "ignored: docker is not used in Connect"));
    }
    JsonNode pluginSpec = spec.get("spec");
    if (pluginSpec != null && !pluginSpec.isNull() && !pluginSpec.isObject()) {
      errors.add(doc.error("spec", "must be a mapping (the plugin's own settings)"));
      pluginSpec = null;
    }
    return source
        ? source(doc, spec, name, location, pluginSpec, errors)
        : destination(doc, spec, name, location, pluginSpec, errors);
  }

  private SourceSpec source(
      SpecDocument doc,
      ObjectNode spec,
      String name,
      PluginLocator.Location location,
      JsonNode pluginSpec,
      List<SpecError> errors) {
    List<String> tables = textList(doc, spec, "tables", errors);
    if (tables == null || tables.isEmpty()) {
      errors.add(
          doc.error(
              "tables",
              "required; list the tables to sync, e.g. tables: [\"*\"] (cloudquery tables lists"
                  + " them)"));
    } else if (tables.contains("*") && tables.size() > 1) {
      notes.add(doc.note("tables", "contains '*' as well as other tables; '*' matches all tables"));
    }
    List<String> skipTables = textList(doc, spec, "skip_tables", errors);
    String skipDependent = bool(doc, spec, "skip_dependent_tables", "true", errors);
    String deterministic = bool(doc, spec, "deterministic_cq_id", "false", errors);
    List<String> destinations = textList(doc, spec, "destinations", errors);
    if (destinations == null || destinations.isEmpty()) {
      errors.add(doc.error("destinations", "required; name at least one destination"));
    }
    if (text(doc, spec, "otel_endpoint", errors) != null || spec.has("otel_endpoint_insecure")) {
      notes.add(doc.note("otel_endpoint", "ignored: use the worker's own metrics (JMX)"));
    }
    String tableName = null;
    String connection = null;
    JsonNode backend = spec.get("backend_options");
    if (backend != null && !backend.isNull()) {
      if (!(backend instanceof ObjectNode options)) {
        errors.add(
            doc.error("backend_options", "must be a mapping with table_name and connection"));
      } else {
        unknownKeys(doc, options, "backend_options.", BACKEND_KEYS, " for backend_options", errors);
        tableName = text(doc, options, "table_name", errors, "backend_options.table_name");
        connection = text(doc, options, "connection", errors, "backend_options.connection");
        boolean hasTable = tableName != null && !tableName.isEmpty();
        boolean hasConnection = connection != null && !connection.isEmpty();
        if (hasTable != hasConnection) {
          errors.add(
              doc.error(
                  "backend_options",
                  "table_name and connection are both required; "
                      + (hasTable ? "connection" : "table_name")
                      + " is missing"));
        } else if (!hasTable) {
          errors.add(doc.error("backend_options", "table_name and connection are both required"));
        }
        if (tableName != null && tableName.contains("${")) {
          tableName = expander.inline(doc, "backend_options.table_name", tableName, errors);
        }
      }
    }
    return new SourceSpec(
        doc,
        name,
        location,
        pluginSpec,
        tables == null ? List.of() : tables,
        skipTables == null ? List.of() : skipTables,
        skipDependent,
        deterministic,
        destinations == null ? List.of() : destinations,
        tableName,
        connection);
  }

  private DestinationSpec destination(
      SpecDocument doc,
      ObjectNode spec,
      String name,
      PluginLocator.Location location,
      JsonNode pluginSpec,
      List<SpecError> errors) {
    String writeMode =
        choice(
            doc,
            spec,
            "write_mode",
            WriteMode::fromString,
            WriteMode.OVERWRITE_DELETE_STALE,
            errors);
    String migrateMode =
        choice(doc, spec, "migrate_mode", MigrateMode::fromString, MigrateMode.SAFE, errors);
    String pkMode = choice(doc, spec, "pk_mode", PkMode::fromString, PkMode.DEFAULT, errors);
    String syncGroupId = text(doc, spec, "sync_group_id", errors);
    if (syncGroupId != null && !syncGroupId.isEmpty()) {
      errors.add(doc.error("sync_group_id", "not supported by the sink connector; remove it"));
    }
    JsonNode summary = spec.get("send_sync_summary");
    if (summary != null && !summary.isNull() && !(summary.isBoolean() && !summary.booleanValue())) {
      errors.add(doc.error("send_sync_summary", "not supported by the sink connector; remove it"));
    }
    JsonNode transformers = spec.get("transformers");
    if (transformers != null && !transformers.isNull() && !transformers.isEmpty()) {
      errors.add(
          doc.error(
              "transformers",
              "CloudQuery transformers are not supported: use Single Message Transforms"
                  + " (transforms=...) on the sink connector"));
    }
    return new DestinationSpec(doc, name, location, pluginSpec, writeMode, migrateMode, pkMode);
  }

  private void unknownKeys(
      SpecDocument doc,
      JsonNode node,
      String prefix,
      List<String> valid,
      String what,
      List<SpecError> errors) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!valid.contains(key)) {
        errors.add(
            doc.error(
                prefix + key,
                "unknown key; valid keys" + what + " are " + String.join(", ", valid)));
      }
    }
  }

  private String text(SpecDocument doc, JsonNode node, String key, List<SpecError> errors) {
    return text(doc, node, key, errors, key);
  }

  private String text(
      SpecDocument doc, JsonNode node, String key, List<SpecError> errors, String path) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      errors.add(doc.error(path, "must be a string, not " + describe(value)));
      return null;
    }
    return value.textValue();
  }

  private List<String> textList(
      SpecDocument doc, JsonNode node, String key, List<SpecError> errors) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      errors.add(
          doc.error(key, "must be a list of strings, e.g. [\"a\", \"b\"], not " + describe(value)));
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String path = key + "[" + i + "]";
      if (!item.isTextual() || item.textValue().isEmpty()) {
        errors.add(doc.error(path, "must be a non-empty string"));
        continue;
      }
      String text = item.textValue();
      String expanded = text.contains("${") ? expander.inline(doc, path, text, errors) : text;
      if (expanded != null) {
        out.add(expanded);
      }
    }
    return out;
  }

  private String bool(
      SpecDocument doc, JsonNode node, String key, String fallback, List<SpecError> errors) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (value.isBoolean()) {
      return Boolean.toString(value.booleanValue());
    }
    if (value.isTextual() && VariableExpander.VARIABLE.matcher(value.textValue()).matches()) {
      return expander.inline(doc, key, value.textValue(), errors);
    }
    errors.add(doc.error(key, "must be true or false, not " + describe(value)));
    return fallback;
  }

  private <E extends ConfigEnum> String choice(
      SpecDocument doc,
      JsonNode node,
      String key,
      Function<String, E> parse,
      E fallback,
      List<SpecError> errors) {
    String text = text(doc, node, key, errors);
    if (text == null || text.isEmpty()) {
      return fallback.value();
    }
    if (text.contains("${")) {
      return expander.inline(doc, key, text, errors);
    }
    try {
      return parse.apply(text).value();
    } catch (IllegalArgumentException e) {
      errors.add(doc.error(key, e.getMessage()));
      return fallback.value();
    }
  }

  private static String describe(JsonNode value) {
    String type = value.getNodeType().name().toLowerCase(Locale.ROOT);
    return value.isContainerNode() ? "a " + type : "the " + type + " " + value;
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return List.copyOf(all);
  }
}
