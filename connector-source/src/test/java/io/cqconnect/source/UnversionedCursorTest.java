package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.config.SourceConfig;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.WriteStream;
import io.cqconnect.plugin.proto.v3.Write;
import io.cqconnect.state.JdbcMirror;
import io.cqconnect.state.StateRow;
import io.cqconnect.state.StateTableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin whose state client keeps no versions (Go SDK before v4.67, Python SDK) writing its
 * cursor to a sync's state endpoint over gRPC, with the two-column records such a client sends: the
 * write must become the committed cursor even when the version held before is higher.
 */
class UnversionedCursorTest {

  private static final String SOURCE = "src";
  private static final String TABLE = "cq_state_src";
  private static final String KEY = "incr_events_0";

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir Path dir;

  @AfterEach
  void checkMemory() {
    assertThat(allocator.getAllocatedMemory()).isZero();
    allocator.close();
  }

  @Test
  void shouldCommitTheUnversionedCursorWhenAVersionedOneWasCommittedBefore() throws Exception {
    CursorState cursors = new CursorState();
    cursors.merge(List.of(new StateRow(KEY, "2026-01-01", 5)));

    List<StateRow> written = syncWithOldStateClient(cursors, "2026-02-01");

    assertThat(written).containsExactly(new StateRow(KEY, "2026-02-01", 6));
    cursors.merge(written);
    assertThat(cursors.snapshot()).containsExactly(new StateRow(KEY, "2026-02-01", 6));
  }

  @Test
  void shouldCommitTheUnversionedCursorWhenTheOffsetsWereEditedToAVersion() throws Exception {
    // PATCH /connectors/src/offsets with {"value":"2026-01-01","version":1}, then a restart.
    FakeOffsetStore offsets = new FakeOffsetStore(SOURCE, TABLE);
    offsets.cursor(KEY, "2026-01-01", 1);
    offsets.index(0, List.of(KEY));
    CursorState cursors = new CursorState();
    try (SourceMetrics metrics = new SourceMetrics("unversioned-edit", 0);
        MirrorWriter noMirror = new MirrorWriter(null, Duration.ofSeconds(1), metrics, "mirror")) {
      cursors.merge(new StateLoader(SOURCE, TABLE, offsets).load(noMirror).rows());
    }
    assertThat(cursors.snapshot()).containsExactly(new StateRow(KEY, "2026-01-01", 1));

    List<StateRow> written = syncWithOldStateClient(cursors, "2026-01-02");
    cursors.merge(written);

    assertThat(cursors.snapshot()).containsExactly(new StateRow(KEY, "2026-01-02", 2));
  }

  @Test
  void shouldCommitTheUnversionedCursorAfterAResetCarriedIntoTheMirroredTable() throws Exception {
    String mirrorUrl = "jdbc:sqlite:" + dir.resolve("mirror.db");
    try (JdbcMirror table = new JdbcMirror(mirrorUrl, null, null, TABLE)) {
      table.migrate();
      table.write(List.of(new StateRow(KEY, "2026-03-01", 4)));
    }
    SourceConfig config =
        new SourceConfig(
            Map.of(
                "name", SOURCE,
                "plugin.address", "127.0.0.1:1",
                "state.table.name", TABLE,
                "state.mirror.jdbc.url", mirrorUrl));
    Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
    reset.put(CursorOffset.partition(SOURCE, TABLE, KEY), null);

    OffsetEdits.apply(config, reset); // DELETE /connectors/src/offsets
    CursorState cursors = new CursorState();
    try (SourceMetrics metrics = new SourceMetrics("unversioned-reset", 0);
        MirrorWriter mirror =
            new MirrorWriter(
                StateMirrors.opener(config), Duration.ofSeconds(1), metrics, "mirror")) {
      cursors.merge(
          new StateLoader(SOURCE, TABLE, new FakeOffsetStore(SOURCE, TABLE)).load(mirror).rows());
    }
    assertThat(cursors.snapshot()).containsExactly(new StateRow(KEY, "", 5));

    List<StateRow> written = syncWithOldStateClient(cursors, "2026-01-15");
    cursors.merge(written);

    assertThat(cursors.snapshot()).containsExactly(new StateRow(KEY, "2026-01-15", 6));
  }

  /**
   * One sync's state traffic as SyncRunner sets it up: a capture of the committed cursors behind
   * its own endpoint, to which the old client writes {@code KEY = value}; returns what the sync
   * would commit.
   */
  private List<StateRow> syncWithOldStateClient(CursorState cursors, String value)
      throws InterruptedException {
    SyncStateCapture capture = new SyncStateCapture(TABLE, cursors.snapshot());
    try (SyncRunner.StateEndpoint endpoint = StateEndpointServer.start(capture, Optional.empty());
        PluginConnection backend = PluginConnection.dial(endpoint.target());
        WriteStream write = backend.client().openWrite()) {
      Schema schema = unversionedSchema();
      write.send(
          Write.Request.newBuilder()
              .setMigrateTable(
                  Write.MessageMigrateTable.newBuilder().setTable(ArrowIpc.schemaToBytes(schema)))
              .build());
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
        root.allocateNew();
        ((VarCharVector) root.getVector(StateTableSchema.KEY))
            .setSafe(0, KEY.getBytes(StandardCharsets.UTF_8));
        ((VarCharVector) root.getVector(StateTableSchema.VALUE))
            .setSafe(0, value.getBytes(StandardCharsets.UTF_8));
        root.setRowCount(1);
        write.send(
            Write.Request.newBuilder()
                .setInsert(Write.MessageInsert.newBuilder().setRecord(ArrowIpc.recordToBytes(root)))
                .build());
      }
      write.complete(Duration.ofSeconds(30));
    }
    return capture.seal();
  }

  /** The state table as such a client declares it: key and value only. */
  private static Schema unversionedSchema() {
    Schema full = StateTableSchema.schema(TABLE);
    return new Schema(full.getFields().subList(0, 2), full.getCustomMetadata());
  }
}
