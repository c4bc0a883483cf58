package io.cqconnect.translator;

import io.cqconnect.config.ConfigValidators;
import io.cqconnect.config.PluginConfig;
import io.cqconnect.config.SinkConfig;
import io.cqconnect.config.SourceConfig;
import io.cqconnect.config.SourceStateKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates CloudQuery spec files into Kafka Connect REST requests: each {@code kind: source} to a
 * source connector, each destination that some source writes to into a sink connector over that
 * source's topics, and {@code backend_options} into the source's {@code state.*} keys.
 *
 * <p>{@code @@plugins.NAME.connection} in {@code backend_options.connection} names destination NAME
 * as the state table's home: its binary becomes {@code state.mirror.path}, its address {@code
 * state.mirror.address}, its spec {@code state.mirror.spec}. A destination that only holds state
 * (not in any source's {@code destinations}) gets no sink connector, as the CLI opens no write
 * stream to it.
 */
public final class SpecTranslator {

  public static final String SOURCE_CONNECTOR_CLASS = SourceConfig.CONNECTOR_CLASS;
  public static final String SINK_CONNECTOR_CLASS = SinkConfig.CONNECTOR_CLASS;

  private static final Pattern PLUGIN_REFERENCE =
      Pattern.compile("@@plugins\\.([^.]+)\\.connection");

  private final TranslatorOptions options;

  /** A translator with the given options. */
  public SpecTranslator(TranslatorOptions options) {
    this.options = options;
  }

  /** Translates spec files and directories (read like {@code cloudquery sync} reads them). */
  public Translation translate(List<Path> paths) {
    List<SpecError> errors = new ArrayList<>();
    List<SpecDocument> documents = new SpecReader().read(paths, errors);
    return translateDocuments(documents, errors);
  }

  /** Translates the text of one spec file named {@code file} (used in messages). */
  public Translation translate(String file, String yaml) {
    List<SpecError> errors = new ArrayList<>();
    List<SpecDocument> documents = new SpecReader().parse(file, yaml, errors);
    return translateDocuments(documents, errors);
  }

  private Translation translateDocuments(List<SpecDocument> documents, List<SpecError> errors) {
    List<String> notes = new ArrayList<>();
    VariableExpander expander = new VariableExpander(options.baseDir(), notes);
    PluginLocator locator =
        new PluginLocator(options.pluginsRoot(), options.baseDir(), expander, notes);
    SpecParser parser = new SpecParser(expander, locator, notes);

    Map<String, SourceSpec> sources = new LinkedHashMap<>();
    Map<String, DestinationSpec> destinations = new LinkedHashMap<>();
    Map<String, SpecDocument> connectorNames = new HashMap<>();
    for (SpecDocument doc : documents) {
      Object parsed = parser.parse(doc, errors);
      String name = doc.name();
      if (parsed == null || name == null) {
        continue;
      }
      SpecDocument previous = connectorNames.putIfAbsent(name, doc);
      if (previous != null) {
        errors.add(
            doc.error(
                "name",
                "'"
                    + name
                    + "' is already used by "
                    + previous.label()
                    + (previous.file().equals(doc.file()) ? "" : " of " + previous.file())
                    + "; names must be unique, as they become Connect connector names"));
        continue;
      }
      if (parsed instanceof SourceSpec source) {
        sources.put(name, source);
      } else {
        destinations.put(name, (DestinationSpec) parsed);
      }
    }
    if (sources.isEmpty() && errors.isEmpty()) {
      errors.add(
          new SpecError(
              "(input)", 0, "", "", "no kind: source document found; nothing to translate"));
    }

    Map<String, VariableExpander.ExpandedSpec> destinationSpecs = new HashMap<>();
    for (DestinationSpec destination : destinations.values()) {
      destinationSpecs.put(
          destination.name(), expander.spec(destination.doc(), destination.pluginSpec(), errors));
    }
    List<ConnectorRequest> requests = new ArrayList<>();
    Map<String, List<TopicSubscription.SourceTopics>> sinkInputs = new LinkedHashMap<>();
    for (SourceSpec source : sources.values()) {
      Map<String, String> config =
          sourceConfig(source, destinations, destinationSpecs, expander, errors);
      requests.add(new ConnectorRequest(source.name(), config));
      for (int i = 0; i < source.destinations().size(); i++) {
        String target = source.destinations().get(i);
        if (!destinations.containsKey(target)) {
          errors.add(
              source
                  .doc()
                  .error(
                      "destinations[" + i + "]",
                      "unknown destination '" + target + "'; " + defined(destinations)));
          continue;
        }
        sinkInputs.computeIfAbsent(target, k -> new ArrayList<>()).add(topicsOf(source, config));
      }
    }
    for (DestinationSpec destination : destinations.values()) {
      List<TopicSubscription.SourceTopics> inputs = sinkInputs.get(destination.name());
      if (inputs == null) {
        notes.add(
            destination
                .doc()
                .note(
                    "",
                    "no source lists it in destinations, so it gets no sink connector"
                        + " (a state backend needs none)"));
        continue;
      }
      requests.add(
          new ConnectorRequest(
              destination.name(),
              sinkConfig(destination, destinationSpecs.get(destination.name()), inputs, errors)));
    }
    addProviderNotes(expander, notes);
    return new Translation(errors.isEmpty() ? requests : List.of(), notes, errors);
  }

  private Map<String, String> sourceConfig(
      SourceSpec source,
      Map<String, DestinationSpec> destinations,
      Map<String, VariableExpander.ExpandedSpec> destinationSpecs,
      VariableExpander expander,
      List<SpecError> errors) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", SOURCE_CONNECTOR_CLASS);
    config.put(SourceConfig.SOURCE_NAME_CONFIG, source.name());
    putPlugin(config, source.location(), expander.spec(source.doc(), source.pluginSpec(), errors));
    config.put(SourceConfig.TABLES_CONFIG, String.join(",", source.tables()));
    if (!source.skipTables().isEmpty()) {
      config.put(SourceConfig.SKIP_TABLES_CONFIG, String.join(",", source.skipTables()));
    }
    config.put(SourceConfig.SKIP_DEPENDENT_TABLES_CONFIG, source.skipDependentTables());
    config.put(SourceConfig.DETERMINISTIC_CQ_ID_CONFIG, source.deterministicCqId());
    String prefix = options.topicPrefixFor(source.name());
    if (!prefix.isEmpty()) {
      config.put(SourceConfig.TOPIC_PREFIX_CONFIG, prefix);
    }
    if (source.backendTableName() != null
        && !source.backendTableName().isEmpty()
        && source.backendConnection() != null
        && !source.backendConnection().isEmpty()) {
      config.put(SourceStateKeys.STATE_TABLE_NAME_CONFIG, source.backendTableName());
      putMirror(config, source, destinations, destinationSpecs, expander, errors);
    }
    return config;
  }

  private void putMirror(
      Map<String, String> config,
      SourceSpec source,
      Map<String, DestinationSpec> destinations,
      Map<String, VariableExpander.ExpandedSpec> destinationSpecs,
      VariableExpander expander,
      List<SpecError> errors) {
    String path = "backend_options.connection";
    String connection = source.backendConnection();
    Matcher reference = PLUGIN_REFERENCE.matcher(connection);
    if (reference.matches()) {
      String name = reference.group(1);
      DestinationSpec backend = destinations.get(name);
      if (backend == null) {
        errors.add(
            source.doc().error(path, "unknown plugin '" + name + "'; " + defined(destinations)));
        return;
      }
      if (backend.location() == null) {
        return; // its own document already reported why
      }
      VariableExpander.ExpandedSpec spec = destinationSpecs.get(name);
      config.put(
          backend.location().dialed()
              ? SourceStateKeys.STATE_MIRROR_ADDRESS_CONFIG
              : SourceStateKeys.STATE_MIRROR_PATH_CONFIG,
          backend.location().value());
      if (spec.json() != null) {
        config.put(SourceStateKeys.STATE_MIRROR_SPEC_CONFIG, spec.json());
        spec.vars()
            .forEach((k, v) -> config.put(SourceStateKeys.STATE_MIRROR_SPEC_VAR_PREFIX + k, v));
      }
      return;
    }
    if (connection.contains("@@")) {
      errors.add(
          source
              .doc()
              .error(
                  path,
                  "'"
                      + connection
                      + "' must be exactly @@plugins.NAME.connection (NAME a destination) or the"
                      + " host:port of a running state backend"));
      return;
    }
    String expanded = expander.inline(source.doc(), path, connection, errors);
    if (expanded == null) {
      return;
    }
    String problem = expanded.contains("${") ? null : ConfigValidators.grpcTargetProblem(expanded);
    if (problem != null) {
      errors.add(source.doc().error(path, "'" + connection + "': " + problem));
      return;
    }
    config.put(SourceStateKeys.STATE_MIRROR_ADDRESS_CONFIG, expanded);
  }

  private Map<String, String> sinkConfig(
      DestinationSpec destination,
      VariableExpander.ExpandedSpec spec,
      List<TopicSubscription.SourceTopics> inputs,
      List<SpecError> errors) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", SINK_CONNECTOR_CLASS);
    putPlugin(config, destination.location(), spec);
    for (TopicSubscription.SourceTopics input : inputs) {
      if (input.unbounded()) {
        boolean dependents = !input.skipDependentTables();
        errors.add(
            input
                .source()
                .doc()
                .error(
                    dependents ? "skip_dependent_tables" : "tables",
                    (dependents
                            ? "false lets child tables with unknown names through, so the sink"
                                + " must subscribe by topics.regex. For destination"
                            : "a pattern starting with a wildcard makes the sink subscribe by"
                                + " topics.regex. For destination")
                        + " \""
                        + destination.name()
                        + "\", without a topic prefix that regex would"
                        + " match every topic of the cluster (Connect's own included); pass"
                        + " --topic-prefix, e.g. --topic-prefix '{source}.'"));
      }
    }
    TopicSubscription subscription = TopicSubscription.of(inputs);
    if (subscription.regex() != null) {
      config.put("topics.regex", subscription.regex());
    } else {
      config.put("topics", String.join(",", subscription.topics()));
    }
    config.put(SinkConfig.WRITE_MODE_CONFIG, destination.writeMode());
    config.put(SinkConfig.MIGRATE_MODE_CONFIG, destination.migrateMode());
    config.put(SinkConfig.PK_MODE_CONFIG, destination.pkMode());
    return config;
  }

  private TopicSubscription.SourceTopics topicsOf(SourceSpec source, Map<String, String> config) {
    String prefix = options.topicPrefixFor(source.name());
    return new TopicSubscription.SourceTopics(
        source,
        prefix,
        source.tables(),
        source.skipTables(),
        // A placeholder could be either: assume child tables may come, the broader subscription.
        "true".equals(config.get(SourceConfig.SKIP_DEPENDENT_TABLES_CONFIG)),
        prefix + SourceStateKeys.STATE_TOPIC_SUFFIX);
  }

  private static void putPlugin(
      Map<String, String> config,
      PluginLocator.Location location,
      VariableExpander.ExpandedSpec spec) {
    if (location != null) {
      config.put(
          location.dialed() ? PluginConfig.PLUGIN_ADDRESS_CONFIG : PluginConfig.PLUGIN_PATH_CONFIG,
          location.value());
    }
    if (spec.json() != null) {
      config.put(PluginConfig.PLUGIN_SPEC_CONFIG, spec.json());
      spec.vars().forEach((k, v) -> config.put(PluginConfig.PLUGIN_SPEC_VAR_PREFIX + k, v));
    }
  }

  private static String defined(Map<String, DestinationSpec> destinations) {
    return destinations.isEmpty()
        ? "no destination is defined"
        : "defined destinations: " + String.join(", ", destinations.keySet());
  }

  private static void addProviderNotes(VariableExpander expander, List<String> notes) {
    List<String> providers = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    if (!expander.envNames().isEmpty()) {
      providers.add("env");
      lines.add(
          "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    }
    if (!expander.files().isEmpty()) {
      providers.add("dir");
      lines.add(
          "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider");
    }
    if (providers.isEmpty()) {
      return;
    }
    notes.add(
        "the Connect worker config needs: config.providers="
            + String.join(",", providers)
            + ", "
            + String.join(", ", lines));
    if (!expander.envNames().isEmpty()) {
      notes.add(
          "every Connect worker's environment must define "
              + String.join(", ", expander.envNames()));
    }
  }
}
