package io.cqconnect.sink;

import com.google.protobuf.ByteString;
import io.cqconnect.arrow.ConnectToArrow;
import io.cqconnect.config.PkMode;
import io.cqconnect.config.WriteMode;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginNetwork;
import io.cqconnect.plugin.WriteStream;
import io.cqconnect.plugin.proto.v3.Write;
import io.cqconnect.plugin.testing.Fixtures;
import io.cqconnect.plugin.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Benchmark (not a test): rows/s of the sink task's write path (Connect records, Arrow conversion,
 * Write streams with flushes) into the real PostgreSQL destination, against the same rows
 * pre-encoded as Arrow and written straight to the same plugin by a bare client, side by side in
 * one run. Prints both rates and their ratio (goal: at least 0.8).
 *
 * <p>Run: {@code
 * MAVEN_OPTS="--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED" mvn -o -q
 * -pl connector-sink exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.cqconnect.sink.SinkBenchmark -Dcq.fixtures.dir=$PWD/fixtures
 * [-Dexec.args="ROWS ROUNDS"]}. Uses {@code CQ_TEST_POSTGRES_PORT} or an embedded PostgreSQL.
 */
public final class SinkBenchmark {

  private static final int POLL_BATCH = 500; // Connect's default max.poll.records
  private static final Instant SYNC = Instant.parse("2024-06-01T00:00:00Z");

  private SinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    System.out.printf(
        "sink benchmark: %d rows per run, %d rounds, PostgreSQL port %d%n",
        rows, rounds, TestPostgres.port());
    run("warmup", Math.min(rows, 5_000));
    double task = 0;
    double bare = 0;
    for (int round = 1; round <= rounds; round++) {
      double[] rates = run("round " + round, rows);
      task += rates[0];
      bare += rates[1];
    }
    task /= rounds;
    bare /= rounds;
    System.out.printf(
        "RESULT sink task %.0f rows/s, bare client %.0f rows/s, ratio %.2f (goal >= 0.80)%n",
        task, bare, task / bare);
  }

  /** One side-by-side run; returns {task rows/s, bare rows/s}. */
  private static double[] run(String label, int rows) throws Exception {
    String table = "bench_" + System.nanoTime();
    TestRecords records = new TestRecords(table, table, "c1", "c2", "c3", "c4");
    List<SinkRecord> input = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      input.add(records.row(i, i, "name-" + i, SYNC, "bench", "a" + i, "b" + i, "c" + i, "d" + i));
    }
    List<ByteString> encoded = preEncode(records, input);

    double task = sinkTask(TestPostgres.createDatabase("bench_task"), input);
    double bare = bareClient(TestPostgres.createDatabase("bench_bare"), encoded);
    System.out.printf(
        "%-8s sink task %8.0f rows/s | bare client %8.0f rows/s | ratio %.2f%n",
        label, task, bare, task / bare);
    return new double[] {task, bare};
  }

  private static Map<String, String> pluginProps(String database) {
    Map<String, String> props = new HashMap<>();
    props.put("plugin.path", Fixtures.binary(Fixtures.DEST_POSTGRESQL).toString());
    props.put("plugin.args", "--no-sentry");
    props.put(
        "plugin.spec",
        "{\"connection_string\":\"" + TestPostgres.connectionString(database) + "\"}");
    props.put("write.mode", "append");
    return props;
  }

  private static double sinkTask(String database, List<SinkRecord> input) {
    try (SinkTaskFixture tasks = new SinkTaskFixture()) {
      CloudQuerySinkTask task = tasks.start("bench", new FakeContext(false), pluginProps(database));
      TopicPartition partition = new TopicPartition(input.get(0).topic(), 0);
      long start = System.nanoTime();
      for (int from = 0; from < input.size(); from += POLL_BATCH) {
        task.put(input.subList(from, Math.min(input.size(), from + POLL_BATCH)));
      }
      Map<TopicPartition, OffsetAndMetadata> committed = SinkTaskFixture.commit(task, partition);
      long nanos = System.nanoTime() - start;
      if (!committed.containsKey(partition) || committed.get(partition).offset() != input.size()) {
        throw new IllegalStateException("the sink task did not confirm every row: " + committed);
      }
      return input.size() * 1e9 / nanos;
    }
  }

  /** The exact inserts the task sends (same shape, same batch size), encoded before timing. */
  private static List<ByteString> preEncode(TestRecords records, List<SinkRecord> input) {
    List<ByteString> out = new ArrayList<>();
    ConnectToArrow converter = new ConnectToArrow();
    TableShape shape =
        new TableShapes(WriteMode.APPEND, PkMode.DEFAULT, converter)
            .shapeFor(records.table, records.mapper.valueSchema(), records.mapper.keySchema());
    try (RootAllocator allocator = new RootAllocator()) {
      RowBatcher batcher =
          new RowBatcher(
              converter,
              allocator,
              new RowBatcher.Limits(Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE),
              (r, e) -> {
                throw e;
              },
              i -> out.add(i.record()));
      for (int from = 0; from < input.size(); from += POLL_BATCH) {
        for (SinkRecord record : input.subList(from, Math.min(input.size(), from + POLL_BATCH))) {
          batcher.add(shape, (Struct) record.value(), "bench", SYNC, record);
        }
        batcher.sealAll();
      }
    }
    out.add(0, shape.schemaBytes());
    return out;
  }

  private static double bareClient(String database, List<ByteString> encoded)
      throws InterruptedException {
    try (PluginConnection plugin =
        PluginConnection.launch(
            Fixtures.spec(Fixtures.DEST_POSTGRESQL, PluginNetwork.UNIX).build())) {
      String spec = "{\"connection_string\":\"" + TestPostgres.connectionString(database) + "\"}";
      plugin.client().init(spec.getBytes(StandardCharsets.UTF_8), false);
      int rows = 0;
      long start = System.nanoTime();
      WriteStream stream = plugin.client().openWrite();
      stream.send(
          Write.Request.newBuilder()
              .setMigrateTable(Write.MessageMigrateTable.newBuilder().setTable(encoded.get(0)))
              .build());
      for (ByteString record : encoded.subList(1, encoded.size())) {
        stream.send(
            Write.Request.newBuilder()
                .setInsert(Write.MessageInsert.newBuilder().setRecord(record))
                .build());
        rows += POLL_BATCH;
      }
      stream.complete(Duration.ofMinutes(10));
      long nanos = System.nanoTime() - start;
      plugin.client().close();
      return rows * 1e9 / nanos;
    }
  }
}
