package io.cqconnect.demo;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Sync;
import io.grpc.Channel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** What one {@code Sync} call sent, decoded: message order, ids per table, errors. */
record SyncResult(
    List<String> kinds,
    List<String> migrated,
    Map<String, List<Long>> ids,
    Map<String, List<Long>> timestampsMicros,
    List<Sync.MessageError> errors) {

  /** Runs {@code Sync} to the end over {@code channel} and decodes every message. */
  static SyncResult run(Channel channel, Sync.Request request, BufferAllocator allocator) {
    List<String> kinds = new ArrayList<>();
    List<String> migrated = new ArrayList<>();
    Map<String, List<Long>> ids = new LinkedHashMap<>();
    Map<String, List<Long>> ts = new LinkedHashMap<>();
    List<Sync.MessageError> errors = new ArrayList<>();
    Iterator<Sync.Response> it =
        PluginGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).sync(request);
    while (it.hasNext()) {
      Sync.Response r = it.next();
      switch (r.getMessageCase()) {
        case MIGRATE_TABLE -> {
          kinds.add("migrate");
          migrated.add(DemoTables.name(ArrowIpc.schemaFromBytes(r.getMigrateTable().getTable())));
        }
        case INSERT -> {
          kinds.add("insert");
          ArrowIpc.forEachBatch(
              r.getInsert().getRecord(), allocator, root -> collect(root, ids, ts));
        }
        case ERROR -> {
          kinds.add("error");
          errors.add(r.getError());
        }
        default -> kinds.add(r.getMessageCase().name());
      }
    }
    return new SyncResult(kinds, migrated, ids, ts, errors);
  }

  private static void collect(
      VectorSchemaRoot root, Map<String, List<Long>> ids, Map<String, List<Long>> ts) {
    String table = DemoTables.name(root.getSchema());
    BigIntVector id = (BigIntVector) root.getVector("id");
    for (int i = 0; i < root.getRowCount(); i++) {
      ids.computeIfAbsent(table, t -> new ArrayList<>()).add(id.get(i));
      if (root.getVector("ts") instanceof TimeStampMicroTZVector t) {
        ts.computeIfAbsent(table, x -> new ArrayList<>()).add(t.get(i));
      }
    }
  }

  List<Long> ids(String table) {
    return ids.getOrDefault(table, List.of());
  }

  static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long i = first; i <= last; i++) {
      out.add(i);
    }
    return out;
  }
}
