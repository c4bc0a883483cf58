package io.cqconnect.it;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.arrow.ArrowToConnect;
import io.cqconnect.arrow.CqTable;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;

/**
 * Source throughput, measured side by side in one run on the same plugin and data: (1) a bare
 * client that decodes the Arrow records and discards them (the input limit), (2) the same plus the
 * Arrow → Connect conversion, (3) the connector, plugin → Kafka on an embedded broker and worker
 * (its second sync). Prints rows/s, the ratios and the peak heap of each phase. Not a test: run it
 * with {@code bin/benchmark source [subRowsPerParent]}.
 */
public final class SourceThroughputBenchmark {

  private static final int PARENTS = 10_000;

  public static void main(String[] args) throws Exception {
    int subRows = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String spec =
        "{\"num_rows\":" + PARENTS + ",\"num_sub_rows\":" + subRows + ",\"num_sub_cols\":4}";
    long expected = PARENTS + (long) PARENTS * subRows;
    System.out.printf(
        "plugin cq-source-test %s: %d rows (test_sub_table has 9 columns)%n", spec, expected);

    bare(spec, true); // warm-up: JIT and plugin start, not reported
    Result decode = bare(spec, false);
    Result convert = bare(spec, true);
    Result connector = connector(spec, expected);
    print("bare decode (input limit)", decode, decode);
    print("bare decode + convert", convert, decode);
    print("connector plugin -> Kafka", connector, decode);
  }

  private static void print(String what, Result r, Result base) {
    System.out.printf(
        "%-28s %,10d rows in %6.2f s = %,10.0f rows/s  ratio %.2f  peak heap %,d MiB%n",
        what, r.rows, r.seconds, r.rate(), r.rate() / base.rate(), r.peakHeap >> 20);
  }

  private static Result bare(String spec, boolean convert) throws InterruptedException {
    resetPeaks();
    long rows = 0;
    long started = System.nanoTime();
    Map<String, ArrowToConnect> tables = new HashMap<>();
    Object sink = null;
    try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_TEST, "unix");
        RootAllocator allocator = new RootAllocator()) {
      plugin.client().init(spec.getBytes(StandardCharsets.UTF_8), false);
      try (SyncStream stream =
          plugin
              .client()
              .sync(
                  Sync.Request.newBuilder()
                      .addTables("*")
                      .addAllSkipTables(Fixtures.SOURCE_TEST_SKIP)
                      .build())) {
        started = System.nanoTime();
        while (true) {
          Sync.Response m = stream.poll(Duration.ofSeconds(60));
          if (m == null) {
            if (stream.isFinished()) {
              break;
            }
            continue;
          }
          if (!m.hasInsert()) {
            continue;
          }
          try (VectorSchemaRoot root =
              ArrowIpc.recordFromBytes(m.getInsert().getRecord(), allocator)) {
            rows += root.getRowCount();
            if (convert) {
              CqTable table = CqTable.fromSchema(root.getSchema());
              ArrowToConnect c =
                  tables.computeIfAbsent(table.name(), n -> new ArrowToConnect(table));
              for (int row = 0; row < root.getRowCount(); row++) {
                Struct key = c.key(root, row);
                sink = c.value(root, row);
                sink = key == null ? sink : key;
              }
            }
          }
        }
      }
    }
    if (sink == null && convert) {
      throw new IllegalStateException("nothing converted");
    }
    return new Result(rows, (System.nanoTime() - started) / 1e9, peakHeap());
  }

  /**
   * The connector's rate on its second sync: the first warms the worker's code paths (JIT) the way
   * the bare client's warm-up run does, then the clock runs from the first to the last row of the
   * second sync.
   */
  private static Result connector(String spec, long expected) throws Exception {
    try (ConnectHarness harness = ConnectHarness.start("benchmark", 1)) {
      Map<String, String> config = SourceConnectors.forFixture("bench", Fixtures.SOURCE_TEST, spec);
      // Measure the connector, not the converter: JSON without an embedded schema per record is
      // the cheapest converter Connect ships for structs (with schemas it is much slower).
      config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
      config.put("key.converter.schemas.enable", "false");
      config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      config.put("value.converter.schemas.enable", "false");
      config.put("producer.override.linger.ms", "20");
      config.put("producer.override.batch.size", "262144");
      config.put("sync.interval.ms", "1000");
      long perSync = expected + 2; // rows plus one end-of-sync marker per table
      Properties props = new Properties();
      props.put(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, harness.cluster().kafka().bootstrapServers());
      try (Admin admin = Admin.create(props)) {
        long started = System.nanoTime();
        harness.cluster().configureConnector("bench", config);
        awaitRecords(admin, perSync, started);
        System.out.printf(
            "connector: first sync (warm-up) done after %.1f s%n",
            (System.nanoTime() - started) / 1e9);
        awaitRecords(admin, perSync + 1, started);
        resetPeaks();
        long first = System.nanoTime();
        awaitRecords(admin, 2 * perSync, started);
        return new Result(expected, (System.nanoTime() - first) / 1e9, peakHeap());
      }
    }
  }

  private static void awaitRecords(Admin admin, long atLeast, long started) throws Exception {
    while (true) {
      long records = 0;
      for (String table : List.of("test_some_table", "test_sub_table")) {
        TopicPartition tp = new TopicPartition("bench." + table, 0);
        try {
          records +=
              admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        } catch (Exception e) {
          // topic not created yet
        }
      }
      if (records >= atLeast) {
        return;
      }
      if (System.nanoTime() - started > Duration.ofMinutes(20).toNanos()) {
        throw new IllegalStateException("connector delivered only " + records + " records");
      }
      Thread.sleep(100);
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  private record Result(long rows, double seconds, long peakHeap) {
    double rate() {
      return rows / seconds;
    }
  }
}
