/**
 * Configuration of the cq-connect connectors and of cq-state-server: the {@code ConfigDef}s with
 * their validators, enums and typed getters, and the generated reference documentation.
 *
 * <p>This package depends on connect-api, kafka-clients and Jackson only, never on gRPC, Arrow or a
 * YAML parser; the CloudQuery YAML translator lives in the {@code config-translator} module.
 */
package io.cqconnect.config;
