/**
 * The CloudQuery sink connector: a Kafka Connect {@code SinkTask} that converts records to Arrow
 * and writes them to a CloudQuery destination plugin over the protocol's {@code Write} stream,
 * honouring CloudQuery's write modes (append, overwrite, overwrite-delete-stale), migrate modes and
 * primary-key modes, and turning tombstones into {@code delete_record}.
 *
 * <p>Flow: {@link io.cqconnect.sink.CloudQuerySinkTask#put} classifies each record ({@link
 * io.cqconnect.sink.IncomingRecord}), gathers rows per table in {@link
 * io.cqconnect.sink.RowBatcher} (Connect to Arrow, shaped by {@link
 * io.cqconnect.sink.TableShapes}), queues the encoded messages in a {@link
 * io.cqconnect.sink.WriteBuffer} and streams them on an open {@link
 * io.cqconnect.sink.WriteSession}. A flush half-closes that stream and waits for the plugin's
 * answer; only then does {@link io.cqconnect.sink.OffsetTracker} let {@code preCommit} commit the
 * offsets of those records.
 */
package io.cqconnect.sink;
