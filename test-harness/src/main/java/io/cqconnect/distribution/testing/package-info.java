/**
 * Test support of the {@code test-harness} module: {@link
 * io.cqconnect.distribution.testing.LocalKafka} starts a real KRaft broker and real Connect workers
 * as separate JVM processes, with a classpath that holds Kafka only, the way the quickstart does.
 * The package name predates the module (it lived in the docker module's test jar).
 */
package io.cqconnect.distribution.testing;
