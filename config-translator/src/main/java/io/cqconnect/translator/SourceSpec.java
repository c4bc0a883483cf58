package io.cqconnect.translator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A {@code kind: source} document after checking, with variables in plain fields already mapped to
 * provider placeholders. Fields may be {@code null} when the document had errors.
 *
 * @param doc the document, for messages
 * @param name the source name (the connector name)
 * @param location the plugin binary or address
 * @param pluginSpec the plugin's own {@code spec}, unexpanded; {@code null} when absent
 * @param tables table patterns
 * @param skipTables table patterns to skip (empty when absent)
 * @param skipDependentTables {@code true}, {@code false} or a provider placeholder
 * @param deterministicCqId {@code true}, {@code false} or a provider placeholder
 * @param destinations destination names
 * @param backendTableName {@code backend_options.table_name}, {@code null} when absent
 * @param backendConnection {@code backend_options.connection}, {@code null} when absent
 */
record SourceSpec(
    SpecDocument doc,
    String name,
    PluginLocator.Location location,
    JsonNode pluginSpec,
    List<String> tables,
    List<String> skipTables,
    String skipDependentTables,
    String deterministicCqId,
    List<String> destinations,
    String backendTableName,
    String backendConnection) {}
