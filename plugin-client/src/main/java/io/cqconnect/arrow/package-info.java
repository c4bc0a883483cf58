/**
 * Arrow side of the CloudQuery protocol: the IPC stream codec for schema and record blobs ({@link
 * io.cqconnect.arrow.ArrowIpc}), CloudQuery table metadata ({@link io.cqconnect.arrow.CqTable},
 * {@link io.cqconnect.arrow.CqMetadata}) and the reversible mapping between Arrow and Kafka Connect
 * schemas and values ({@link io.cqconnect.arrow.ArrowToConnect}, {@link
 * io.cqconnect.arrow.ConnectToArrow}).
 */
package io.cqconnect.arrow;
