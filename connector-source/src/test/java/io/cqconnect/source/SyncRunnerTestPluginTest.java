package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.config.TimestampPrecision;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sync thread against CloudQuery's real {@code test} source: a bad spec fails after one
 * restart, a plugin that exits is restarted up to the limit, a table's error fails no sync.
 */
@Timeout(120)
class SyncRunnerTestPluginTest {

  private static final int MAX_RESTARTS = 2;

  private final AtomicInteger opened = new AtomicInteger();

  @Test
  void shouldFailAfterOneRestartWithThePluginsMessageWhenTheSpecDoesNotParse() throws Exception {
    // The Go SDK answers a rejected Init with INTERNAL "failed to init plugin: ...", the same
    // code it uses for transient failures, so only the repeated answer makes it permanent.
    List<SyncEvent> events = run("{\"num_rows\":\"lots\"}");

    assertThat(opened).hasValue(2);
    assertThat(events).filteredOn(SyncEvent.Aborted.class::isInstance).hasSize(2);
    assertThat(SyncRunnerRetryTest.failure(events))
        .hasMessageStartingWith("Source 'src': Init on plugin cq-source-test (127.0.0.1:")
        .hasMessageContaining(
            "INTERNAL: failed to init plugin: failed to initialize client: failed to unmarshal"
                + " spec: json: cannot unmarshal string into Go struct field Spec.num_rows of type"
                + " int")
        .hasMessageContaining("failed Init again with the same error")
        .hasMessageContaining("fix plugin.spec");
  }

  @Test
  void shouldRestartAPluginThatExitsThenFailWithItsLastOutput() throws Exception {
    // The process exits (code 1) in the first resolver: the stream ends UNAVAILABLE.
    List<SyncEvent> events = run("{\"exit_immediately\":true}");

    assertThat(opened).hasValue(MAX_RESTARTS + 1);
    assertThat(events).filteredOn(SyncEvent.Aborted.class::isInstance).hasSize(MAX_RESTARTS + 1);
    assertThat(SyncRunnerRetryTest.failure(events))
        .hasMessageStartingWith("Source 'src': the plugin failed 3 times in a row")
        .hasMessageContaining("Sync on plugin cq-source-test (127.0.0.1:")
        .hasMessageContaining("UNAVAILABLE")
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("its last output:");
  }

  @Test
  void shouldEndTheSyncNormallyWhenATableResolverFails() throws Exception {
    // fail_immediately makes a resolver return an error: the SDK logs it, the sync ends cleanly.
    List<SyncEvent> events = run("{\"fail_immediately\":true}");

    assertThat(opened).hasValue(1);
    assertThat(events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Started", "Ended");
  }

  private List<SyncEvent> run(String spec) throws Exception {
    BlockingQueue<SyncEvent> queue = new SyncRunnerRetryTest.CommittingQueue();
    SyncSettings base = SyncRunnerRetryTest.settings();
    SyncSettings settings =
        new SyncSettings(
            base.source(),
            base.tables(),
            Fixtures.SOURCE_TEST_SKIP,
            false,
            false,
            0,
            0,
            "",
            Duration.ZERO,
            MAX_RESTARTS,
            base.initialBackoff(),
            base.maxBackoff(),
            base.timestampPrecision(),
            base.cron(),
            base.fullRefresh());
    RecordBuilder records =
        new RecordBuilder(
            "src",
            new TopicNamer("p.", Map.of()),
            new RootAllocator(),
            TimestampPrecision.MILLISECONDS);
    try (SourceMetrics metrics = new SourceMetrics("test-plugin", 0)) {
      new SyncRunner(
              settings,
              () -> {
                opened.incrementAndGet();
                PluginConnection plugin = Fixtures.start(Fixtures.SOURCE_TEST, "tcp");
                try {
                  plugin.client().init(spec.getBytes(StandardCharsets.UTF_8), false);
                } catch (RuntimeException e) {
                  plugin.close();
                  throw e;
                }
                return plugin;
              },
              capture -> null,
              records,
              new CursorState(),
              queue,
              metrics,
              Clock.systemUTC())
          .run();
    } finally {
      records.close();
    }
    List<SyncEvent> events = new ArrayList<>();
    queue.drainTo(events);
    events.removeIf(e -> e instanceof SyncEvent.Records);
    return events;
  }
}
