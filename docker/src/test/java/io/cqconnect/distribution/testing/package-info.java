/**
 * Test support shared through this module's test jar: {@link
 * io.cqconnect.distribution.testing.LocalKafka} starts a real KRaft broker and real Connect workers
 * as separate JVM processes, with a classpath that holds Kafka only, the way the quickstart does.
 */
package io.cqconnect.distribution.testing;
