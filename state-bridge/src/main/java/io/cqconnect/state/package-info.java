/**
 * The state bridge: a CloudQuery state backend server ({@link
 * io.cqconnect.state.StateBackendServer}) over pluggable {@link io.cqconnect.state.StateStore}s,
 * and the {@link io.cqconnect.state.StateTableMirror} that copies committed state into a table any
 * CloudQuery destination (or JDBC database) holds, so the CloudQuery CLI and Kafka Connect can
 * resume from each other's cursors. {@link io.cqconnect.state.CqStateServer} runs the server
 * standalone.
 */
package io.cqconnect.state;
