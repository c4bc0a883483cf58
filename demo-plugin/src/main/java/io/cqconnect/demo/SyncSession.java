package io.cqconnect.demo;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.proto.v3.Sync;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Sync} call, run on a thread of its own: connects the state client (when the request
 * names a backend), sends {@code migrate_table} for every selected table, then the rows of each
 * table as Arrow records of at most {@code batch_rows} rows. For {@code demo_events} it resumes
 * after the stored cursor, sets the cursor after every record and flushes at the end of the table,
 * as Go plugins do. Sends only while the client is ready to receive (gRPC flow control), so a slow
 * reader holds the plugin back instead of filling its memory.
 */
final class SyncSession implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(SyncSession.class);

  private final Sync.Request request;
  private final DemoSpec spec;
  private final ServerCallStreamObserver<Sync.Response> out;
  private final BufferAllocator allocator;
  private final BiFunction<Sync.BackendOptions, BufferAllocator, StateClient> stateConnector;
  private final Object readiness = new Object();
  private volatile boolean cancelled;

  SyncSession(
      Sync.Request request,
      DemoSpec spec,
      ServerCallStreamObserver<Sync.Response> out,
      BufferAllocator allocator,
      BiFunction<Sync.BackendOptions, BufferAllocator, StateClient> stateConnector) {
    this.request = request;
    this.spec = spec;
    this.out = out;
    this.allocator = allocator;
    this.stateConnector = stateConnector;
    // Both handlers must be set before the service method returns.
    out.setOnReadyHandler(this::wake);
    out.setOnCancelHandler(
        () -> {
          cancelled = true;
          wake();
        });
  }

  @Override
  public void run() {
    try (BufferAllocator alloc = allocator;
        StateClient state = stateConnector.apply(request.getBackend(), alloc)) {
      List<Schema> tables = DemoTables.select(request.getTablesList(), request.getSkipTablesList());
      for (Schema table : tables) {
        send(
            Sync.Response.newBuilder()
                .setMigrateTable(
                    Sync.MessageMigrateTable.newBuilder().setTable(ArrowIpc.schemaToBytes(table)))
                .build());
      }
      for (Schema table : tables) {
        if (DemoTables.EVENTS.equals(DemoTables.name(table))) {
          syncEvents(state);
        } else {
          syncUsers();
        }
      }
      out.onCompleted();
      log.info("sync finished tables={}", tables.stream().map(DemoTables::name).toList());
    } catch (CancellationException e) {
      log.info("sync cancelled by the client");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(Status.CANCELLED.withDescription("plugin is shutting down"));
    } catch (IllegalArgumentException e) {
      log.error("sync failed: {}", e.getMessage());
      fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    } catch (RuntimeException e) {
      log.error("sync failed: {}", e.toString());
      fail(Status.INTERNAL.withDescription("sync failed: " + e.getMessage()).withCause(e));
    }
  }

  private void syncEvents(StateClient state) throws InterruptedException {
    long last;
    String stored = state.getKey(DemoTables.EVENTS);
    try {
      last = DemoRows.lastEventId(stored);
    } catch (IllegalArgumentException e) {
      tableError(DemoTables.EVENTS, e.getMessage());
      return;
    }
    long first = last + 1;
    long end = last + spec.eventsPerSync();
    log.info(
        "syncing table={} stored_cursor={} first_id={} last_id={} state_backend={}",
        DemoTables.EVENTS,
        stored.isEmpty() ? "(none)" : stored,
        first,
        end,
        state.connected());
    for (long id = first; id <= end; id += spec.batchRows()) {
      int count = (int) Math.min(spec.batchRows(), end - id + 1);
      try (VectorSchemaRoot root = DemoRows.events(allocator, id, count)) {
        insert(root);
      }
      state.setKey(DemoTables.EVENTS, DemoRows.cursorOf(id + count - 1));
      pause();
    }
    state.flush();
    if (state.connected()) {
      log.info(
          "flushed state key={} value={} version={}",
          DemoTables.EVENTS,
          state.getKey(DemoTables.EVENTS),
          state.version(DemoTables.EVENTS));
    }
  }

  private void syncUsers() throws InterruptedException {
    int users = spec.users();
    for (int first = 1; first <= users; first += spec.batchRows()) {
      int count = Math.min(spec.batchRows(), users - first + 1);
      try (VectorSchemaRoot root = DemoRows.users(allocator, first, count)) {
        insert(root);
      }
      pause();
    }
    log.info("synced table={} rows={}", DemoTables.USERS, users);
  }

  private void insert(VectorSchemaRoot root) throws InterruptedException {
    send(
        Sync.Response.newBuilder()
            .setInsert(Sync.MessageInsert.newBuilder().setRecord(ArrowIpc.recordToBytes(root)))
            .build());
  }

  /** A table failed; the sync goes on with the other tables (as the Go scheduler does). */
  private void tableError(String table, String message) throws InterruptedException {
    log.error("table {} failed: {}", table, message);
    if (request.getWithErrorMessages()) {
      send(
          Sync.Response.newBuilder()
              .setError(Sync.MessageError.newBuilder().setTableName(table).setError(message))
              .build());
    }
  }

  private void send(Sync.Response response) throws InterruptedException {
    synchronized (readiness) {
      while (!out.isReady()) {
        if (cancelled) {
          throw new CancellationException();
        }
        readiness.wait(100);
      }
    }
    if (cancelled) {
      throw new CancellationException();
    }
    out.onNext(response);
  }

  private void pause() throws InterruptedException {
    if (spec.delayMsPerBatch() > 0) {
      Thread.sleep(spec.delayMsPerBatch());
    }
  }

  private void wake() {
    synchronized (readiness) {
      readiness.notifyAll();
    }
  }

  private void fail(Status status) {
    if (!cancelled) {
      try {
        out.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        log.debug("could not report the failure to the client: {}", e.toString());
      }
    }
  }
}
