package io.cqconnect.state;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.PluginClient;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.ReadStream;
import io.cqconnect.plugin.WriteStream;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateTableMirror} in any CloudQuery destination plugin, spoken to over gRPC exactly as
 * the Go state client does it: {@code Write} with a {@code migrate_table} of the state schema (no
 * {@code _cq_*} columns, {@code cq:table_name} = the table), {@code insert}s of {@code key, value,
 * version} records, and {@code Read} of the same schema.
 *
 * <p>Reading goes by column name, so destinations that hand tables back with extra leading columns,
 * wider types ({@code large_utf8}, {@code int64}) or several rows per key still work; the highest
 * version per key wins. {@link #write} reads the table first and sends only rows newer than the
 * stored ones (destinations upsert without looking at versions), repeating the {@code
 * migrate_table} in its stream so a restarted plugin process still knows the table. The mirror owns
 * the connection and sends the plugin {@code Close} before closing it.
 */
public final class PluginMirror implements StateTableMirror {

  private static final Logger log = LoggerFactory.getLogger(PluginMirror.class);

  /** Rows per insert message, as the Go scheduler batches. */
  private static final int INSERT_ROWS = 10_000;

  private final PluginConnection connection;
  private final PluginClient client;
  private final String table;
  private final ByteString schema;
  private final Duration timeout;
  private final BufferAllocator allocator = new RootAllocator();

  /**
   * Takes over {@code connection}, calls {@code Init} with the destination's spec (JSON; null or
   * blank is sent as {@code null}, as the CLI does) and mirrors {@code table} into it.
   *
   * @throws ConnectException (or its retriable subclass) if Init fails; the connection is closed
   */
  public PluginMirror(PluginConnection connection, byte[] specJson, String table) {
    this.connection = Objects.requireNonNull(connection, "connection");
    if (table == null || table.isEmpty()) {
      connection.close();
      throw new IllegalArgumentException("state table name must not be empty");
    }
    this.client = connection.client();
    this.table = table;
    this.schema = ArrowIpc.schemaToBytes(StateTableSchema.schema(table));
    this.timeout = client.callTimeout();
    try {
      client.init(specJson, false);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public String table() {
    return table;
  }

  @Override
  public void migrate() {
    runWrite("migrate", List.of(migrateMessage()));
  }

  @Override
  public List<StateRow> read() {
    List<StateRow> rows = new ArrayList<>();
    try (ReadStream stream = client.read(schema, timeout)) {
      Read.Response response;
      while ((response = stream.take()) != null) {
        ArrowIpc.forEachBatch(
            response.getRecord(), allocator, root -> rows.addAll(StateTableSchema.rows(root)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted while reading state table '" + table + "'", e);
    }
    List<StateRow> latest = StateRows.latestPerKey(rows);
    log.debug(
        "Read {} rows ({} keys) of state table '{}' from {}",
        rows.size(),
        latest.size(),
        table,
        connection.label());
    return latest;
  }

  /**
   * Writes the rows that are newer than what the table holds. Destinations upsert without looking
   * at versions (SQLite's {@code insert or replace}), so the table is read first and rows whose
   * version is lower than the stored one are left out; a writer racing between that read and this
   * write (the CLI's own state client) can still be overwritten, as between two CLI runs.
   */
  @Override
  public void write(List<StateRow> rows) {
    migrate();
    Map<String, StateRow> stored = StateRows.byKey(read());
    List<StateRow> newer = new ArrayList<>();
    for (StateRow row : StateRows.latestPerKey(rows)) {
      if (StateRows.replaces(row, stored.get(row.key()))) {
        newer.add(row);
      }
    }
    if (newer.isEmpty()) {
      log.debug("Mirror of state table '{}' already holds all {} rows", table, rows.size());
      return;
    }
    List<Write.Request> messages = new ArrayList<>();
    messages.add(migrateMessage());
    for (int from = 0; from < newer.size(); from += INSERT_ROWS) {
      List<StateRow> chunk = newer.subList(from, Math.min(newer.size(), from + INSERT_ROWS));
      try (VectorSchemaRoot root = StateTableSchema.toRoot(table, chunk, allocator)) {
        messages.add(
            Write.Request.newBuilder()
                .setInsert(Write.MessageInsert.newBuilder().setRecord(ArrowIpc.recordToBytes(root)))
                .build());
      }
    }
    runWrite("write of " + newer.size() + " rows", messages);
  }

  private Write.Request migrateMessage() {
    return Write.Request.newBuilder()
        .setMigrateTable(Write.MessageMigrateTable.newBuilder().setTable(schema))
        .build();
  }

  private void runWrite(String what, List<Write.Request> messages) {
    try (WriteStream stream = client.openWrite()) {
      for (Write.Request message : messages) {
        stream.send(message, timeout);
      }
      stream.complete(timeout);
      log.debug("Mirror {} into state table '{}' on {} done", what, table, connection.label());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException(
          "Interrupted during mirror " + what + " of state table '" + table + "'", e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (RuntimeException e) {
      log.debug("Close RPC to {} failed: {}", connection.label(), e.toString());
    }
    connection.close();
    try {
      allocator.close();
    } catch (RuntimeException e) {
      log.warn("Arrow memory still in use when the state mirror closed: {}", e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "PluginMirror{" + connection.label() + ", table=" + table + "}";
  }
}
