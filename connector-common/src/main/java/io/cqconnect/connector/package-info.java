/**
 * What the source and sink connectors share across the fence between {@code config} (ConfigDefs, no
 * gRPC or Arrow) and {@code plugin-client} (which knows nothing of ConfigDefs).
 */
package io.cqconnect.connector;
