package io.cqconnect.benchmark;

import io.cqconnect.arrow.ArrowIpc;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.SyncStream;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The reading ceiling: our protocol client launches the test source, decodes every Arrow record of
 * its Sync and drops it; also times the plugin's own start (launch to its GetVersions answer).
 */
final class BarePath {

  private BarePath() {}

  /**
   * Rows decoded and seconds from launching the plugin to the end of its Sync stream; {@code
   * timeline} (started just before) gets the plugin's readiness, its first insert and the end; with
   * the CPU of the plugin, this JVM and the idle worker ({@code workerPid}) and broker.
   */
  static ResultTable.Line run(Workload w, Timeline timeline, long workerPid)
      throws InterruptedException {
    long rows = 0;
    CpuMeter cpu = CpuMeter.start(workerPid);
    long started = System.nanoTime();
    long ended;
    CpuMeter.Usage usage;
    try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_TEST, "unix");
        RootAllocator allocator = new RootAllocator()) {
      timeline.mark("plugin ready (GetVersions answered)");
      plugin.client().init(w.specJson().getBytes(StandardCharsets.UTF_8), false);
      timeline.mark("Init answered, Sync requested");
      Sync.Request request =
          Sync.Request.newBuilder()
              .addTables("*")
              .addAllSkipTables(Fixtures.SOURCE_TEST_SKIP)
              .build();
      try (SyncStream stream = plugin.client().sync(request)) {
        while (true) {
          Sync.Response m = stream.poll(Duration.ofSeconds(60));
          if (m == null) {
            if (stream.isFinished()) {
              break;
            }
            continue;
          }
          if (m.hasInsert()) {
            if (rows == 0) {
              timeline.mark("first insert received");
            }
            try (VectorSchemaRoot root =
                ArrowIpc.recordFromBytes(m.getInsert().getRecord(), allocator)) {
              rows += root.getRowCount();
            }
          }
        }
      }
      // The clock stops at the end of the stream: the plugin's shutdown is not reading.
      ended = System.nanoTime();
      usage = cpu.stop();
      timeline.mark("end of the Sync stream (timed end)");
    }
    if (rows != w.rows()) {
      throw new IllegalStateException(
          "bare sync decoded " + rows + " rows, expected " + w.rows() + ": check the spec");
    }
    return new ResultTable.Line(
            "bare decode", rows, (ended - started) / 1e9, "launch to end of Sync, no Kafka")
        .withCpu(usage);
  }

  /**
   * Median of five plugin starts: from launching cq-source-test to its answer to GetVersions
   * ({@code PluginConnection.launch} returns once it has that answer).
   */
  static double pluginStartSeconds() {
    double[] s = new double[5];
    for (int i = 0; i < s.length; i++) {
      long t = System.nanoTime();
      try (PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_TEST, "unix")) {
        s[i] = (System.nanoTime() - t) / 1e9;
        if (plugin.versions().isEmpty()) {
          throw new IllegalStateException("cq-source-test answered GetVersions with no version");
        }
      }
    }
    java.util.Arrays.sort(s);
    return s[2];
  }
}
