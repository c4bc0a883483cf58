package io.cqconnect.translator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code kind: destination} document after checking. Fields may be {@code null} when the document
 * had errors.
 *
 * @param doc the document, for messages
 * @param name the destination name (the sink connector name)
 * @param location the plugin binary or address
 * @param pluginSpec the plugin's own {@code spec}, unexpanded; {@code null} when absent
 * @param writeMode a {@link WriteMode} spelling or a provider placeholder
 * @param migrateMode a {@link MigrateMode} spelling or a provider placeholder
 * @param pkMode a {@link PkMode} spelling or a provider placeholder
 */
record DestinationSpec(
    SpecDocument doc,
    String name,
    PluginLocator.Location location,
    JsonNode pluginSpec,
    String writeMode,
    String migrateMode,
    String pkMode) {}
