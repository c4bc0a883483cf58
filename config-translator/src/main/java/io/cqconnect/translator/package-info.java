/**
 * The translator that turns CloudQuery YAML spec files into Kafka Connect REST requests, and its
 * {@code cq-connect-config} command line ({@link io.cqconnect.translator.ConfigCli}).
 *
 * <p>Depends on the {@code config} module's key names and Jackson (with YAML), never on gRPC or
 * Arrow, so the command runs anywhere a JVM does; the Connect plugin does not carry it.
 */
package io.cqconnect.translator;
