/**
 * Configuration of the cq-connect connectors: the {@code ConfigDef}s with their validators, enums
 * and typed getters, the generated reference documentation, and the translator that turns
 * CloudQuery YAML spec files into Kafka Connect REST requests (with its {@code cq-connect-config}
 * command line).
 *
 * <p>This package depends on connect-api, kafka-clients and Jackson only, never on gRPC or Arrow,
 * so the translator runs anywhere a JVM does.
 */
package io.cqconnect.config;
