/**
 * The CloudQuery sink connector: a Kafka Connect {@code SinkTask} that converts records to Arrow
 * and writes them to a CloudQuery destination plugin over the protocol's {@code Write} stream,
 * honouring CloudQuery's write modes (append, overwrite, overwrite-delete-stale), migrate modes and
 * primary-key modes, and turning tombstones into {@code delete_record}.
 *
 * <p>Flow: {@link io.cqconnect.sink.CloudQuerySinkTask#put} hands each record to {@link
 * io.cqconnect.sink.RecordRouter}, which classifies it ({@link io.cqconnect.sink.IncomingRecord}),
 * gathers rows per table in {@link io.cqconnect.sink.RowBatcher} (Connect to Arrow, shaped by
 * {@link io.cqconnect.sink.TableShapes}) and queues the encoded messages in a {@link
 * io.cqconnect.sink.WriteBuffer}. {@link io.cqconnect.sink.WritePipeline} streams them on an open
 * {@link io.cqconnect.sink.WriteSession} and, when a batch is due, half-closes it and collects the
 * plugin's answer in the background ({@link io.cqconnect.sink.Completion}); only an answered stream
 * lets {@link io.cqconnect.sink.OffsetTracker} release those records' offsets to {@code preCommit};
 * a failed stream goes to the retry policy of {@link io.cqconnect.sink.WriteRetries}.
 */
package io.cqconnect.sink;
