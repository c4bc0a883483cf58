package io.cqconnect.state;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.proto.v3.Write;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Write} stream from a state client: every message is applied to the store as it arrives
 * (gRPC delivers the next one only after this returns, which bounds memory), and the single {@code
 * Write.Response} goes out when the client half-closes, so it always follows the durable writes.
 * The first failure ends the stream with a status; later messages are ignored.
 */
final class StateWriteCall implements StreamObserver<Write.Request> {

  private static final Logger log = LoggerFactory.getLogger(StateWriteCall.class);

  private final StatePluginService service;
  private final StreamObserver<Write.Response> responses;
  private final long id;
  private boolean failed;
  private int messages;

  StateWriteCall(StatePluginService service, StreamObserver<Write.Response> responses, long id) {
    this.service = service;
    this.responses = responses;
    this.id = id;
    log.debug("RPC Plugin.Write #{} opened", id);
  }

  @Override
  public void onNext(Write.Request request) {
    if (failed) {
      return;
    }
    messages++;
    String what = "Write";
    try {
      switch (request.getMessageCase()) {
        case MIGRATE_TABLE -> {
          what = "Write migrate_table";
          migrate(request.getMigrateTable().getTable());
        }
        case INSERT -> {
          what = "Write insert";
          insert(request.getInsert().getRecord());
        }
        case DELETE ->
            throw Status.UNIMPLEMENTED
                .withDescription(
                    "the state backend does not support DeleteStale ('delete' of table '"
                        + request.getDelete().getTableName()
                        + "'); state tables are only migrated, inserted into and read")
                .asRuntimeException();
        case DELETE_RECORD ->
            throw Status.UNIMPLEMENTED
                .withDescription(
                    "the state backend does not support delete_record (table '"
                        + request.getDeleteRecord().getTableName()
                        + "'); state tables are only migrated, inserted into and read")
                .asRuntimeException();
        default ->
            throw Status.INVALID_ARGUMENT
                .withDescription("Write message #" + messages + " carries no message")
                .asRuntimeException();
      }
    } catch (RuntimeException | Error e) {
      failed = true;
      var status = StateStatus.of(e, what);
      log.debug(
          "RPC Plugin.Write #{} failed: {} {}",
          id,
          status.getStatus().getCode(),
          status.getStatus().getDescription());
      if (status.getStatus().getCode() == Status.Code.INTERNAL) {
        log.warn("State Write #{} failed", id, e);
      }
      responses.onError(status);
    }
  }

  private void migrate(ByteString bytes) {
    Schema schema = ArrowIpc.schemaFromBytes(bytes);
    String table = StateTableSchema.validate(schema);
    service.store().migrate(table);
    service.migrated(table);
    log.debug(
        "RPC Plugin.Write #{} migrate_table '{}' ({} columns)",
        id,
        table,
        schema.getFields().size());
  }

  private void insert(ByteString bytes) {
    Schema schema = ArrowIpc.schemaFromBytes(bytes);
    String table = StateTableSchema.validate(schema);
    if (!service.isKnown(table)) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "insert into state table '"
                  + table
                  + "', which this state backend does not have: no migrate_table for it reached"
                  + " this server and its store holds no such table. A state client sends"
                  + " migrate_table when it starts, so restart the sync; if the table should"
                  + " exist, check that backend_options.table_name names it and that the"
                  + " backend uses the database that holds it")
          .asRuntimeException();
    }
    List<StateRow> rows = new ArrayList<>();
    ArrowIpc.forEachBatch(
        bytes, service.allocator(), root -> rows.addAll(StateTableSchema.rows(root)));
    List<StateRow> accepted;
    if (StateTableSchema.hasVersion(schema)) {
      accepted = List.copyOf(rows);
      service.store().write(table, accepted);
    } else {
      // A client without versions (Go SDK before v4.67, Python SDK): the store numbers the rows.
      accepted = List.copyOf(service.store().writeUnversioned(table, rows));
    }
    log.debug("RPC Plugin.Write #{} insert '{}' {} rows: {}", id, table, accepted.size(), accepted);
    try {
      service.listener().onWrite(table, accepted);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the state write listener rejected " + accepted.size() + " rows: " + e, e);
    }
  }

  @Override
  public void onError(Throwable t) {
    log.debug("RPC Plugin.Write #{} cancelled by the client: {}", id, t.toString());
  }

  @Override
  public void onCompleted() {
    if (failed) {
      return;
    }
    log.debug("RPC Plugin.Write #{} half-closed after {} messages; responding", id, messages);
    responses.onNext(Write.Response.getDefaultInstance());
    responses.onCompleted();
  }
}
