package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.Sync;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One sync of our incremental fixture plugin, whose CloudQuery Go state client keeps the cursor of
 * {@code incr_events_0} under that key in a state backend: what the sync emitted for that table.
 *
 * @param ids the {@code id} of every emitted row, in order
 * @param syncStarts the {@code sync_start} column of every row: the cursor the sync resumed from
 */
record IncrementalSync(List<Long> ids, List<Long> syncStarts) {

  /** The incremental table, and the state key the Go client stores its cursor under. */
  static final String TABLE = "incr_events_0";

  /**
   * Syncs every table of the (initialised) plugin with backend {@code backend} and state table
   * {@code stateTable}; fails if the stream carries an error message.
   */
  static IncrementalSync run(
      PluginConnection plugin, String backend, String stateTable, BufferAllocator allocator)
      throws InterruptedException {
    Sync.Request request =
        Sync.Request.newBuilder()
            .addTables("*")
            .setWithErrorMessages(true)
            .setBackend(
                Sync.BackendOptions.newBuilder().setTableName(stateTable).setConnection(backend))
            .build();
    List<Long> ids = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try (SyncStream stream = plugin.client().sync(request)) {
      Sync.Response r;
      while ((r = stream.take()) != null) {
        if (r.hasError()) {
          errors.add(r.getError().getTableName() + ": " + r.getError().getError());
        }
        if (!r.hasInsert()) {
          continue;
        }
        try (VectorSchemaRoot root =
            ArrowIpc.recordFromBytes(r.getInsert().getRecord(), allocator)) {
          if (!TABLE.equals(root.getSchema().getCustomMetadata().get(CqMetadata.TABLE_NAME))) {
            continue;
          }
          BigIntVector id = (BigIntVector) root.getVector("id");
          BigIntVector start = (BigIntVector) root.getVector("sync_start");
          for (int i = 0; i < root.getRowCount(); i++) {
            ids.add(id.get(i));
            starts.add(start.get(i));
          }
        }
      }
    }
    assertThat(errors).as("error messages in the Sync stream").isEmpty();
    return new IncrementalSync(ids, starts);
  }
}
