package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.config.TimestampPrecision;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which plugin failures the sync thread retries, against a fake plugin served in this JVM. */
@Timeout(60)
class SyncRunnerRetryTest {

  static final int MAX_RESTARTS = 4;

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "UNIMPLEMENTED"})
  void shouldFailAtOnceWhenSyncFailsWithAPermanentCode(Status.Code code) throws Exception {
    Run run = run(List.of(), Status.fromCode(code).withDescription("refused: x"));

    assertThat(run.opened).isEqualTo(1);
    assertThat(failure(run.events))
        .hasMessageStartingWith("Source 'src': Sync on plugin 127.0.0.1:")
        .hasMessageContaining(code + ": refused: x")
        .hasMessageContaining("so it was not retried")
        .hasMessageContaining("restart the task");
    assertThat(run.events).hasSize(3); // Started, Aborted, Failed
  }

  @Test
  void shouldFailAtOnceWhenAMessageIsOverTheSizeLimit() throws Exception {
    Status tooLarge =
        Status.RESOURCE_EXHAUSTED.withDescription(
            "gRPC message exceeds maximum size 1048576: 2097152");

    Run run = run(List.of(), tooLarge);

    assertThat(run.opened).isEqualTo(1);
    assertThat(failure(run.events))
        .hasMessageContaining("RESOURCE_EXHAUSTED: gRPC message exceeds maximum size 1048576")
        .hasMessageContaining("grpc.max.message.bytes");
  }

  @Test
  void shouldFailAtOnceWhenThePluginRefusesItsCredentialsAtInit() throws Exception {
    Run run = run(List.of(Status.UNAUTHENTICATED.withDescription("bad token")), Status.OK);

    assertThat(run.opened).isEqualTo(1);
    assertThat(failure(run.events))
        .hasMessageContaining("Init on plugin 127.0.0.1:")
        .hasMessageContaining("UNAUTHENTICATED: bad token")
        .hasMessageContaining("refused to start with this configuration")
        .hasMessageContaining("fix plugin.spec");
  }

  @Test
  void shouldFailAfterOneRestartWhenInitFailsTwiceWithTheSameAnswer() throws Exception {
    Status badSpec = Status.INTERNAL.withDescription("failed to init plugin: bad spec");

    Run run = run(Collections.nCopies(10, badSpec), Status.OK);

    assertThat(run.opened).isEqualTo(2);
    assertThat(failure(run.events))
        .hasMessageStartingWith("Source 'src': Init on plugin 127.0.0.1:")
        .hasMessageContaining("INTERNAL: failed to init plugin: bad spec")
        .hasMessageContaining("failed Init again with the same error")
        .hasMessageContaining("fix plugin.spec");
    assertThat(run.events).filteredOn(SyncEvent.Aborted.class::isInstance).hasSize(2);
  }

  @Test
  void shouldSyncWhenAnInitFailureClearsOnRestart() throws Exception {
    Run run = run(List.of(Status.INTERNAL.withDescription("dial tcp: i/o timeout")), Status.OK);

    assertThat(run.opened).isEqualTo(2);
    assertThat(run.events)
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("Started", "Aborted", "Started", "Ended");
  }

  @Test
  void shouldRetryInitFailuresWhoseAnswerChangesUntilItRepeats() throws Exception {
    Run run =
        run(
            List.of(
                Status.INTERNAL.withDescription("token expired"),
                Status.UNKNOWN.withDescription("token expired"),
                Status.UNKNOWN.withDescription("no such host"),
                Status.UNKNOWN.withDescription("no such host")),
            Status.OK);

    assertThat(run.opened).isEqualTo(4); // one fewer than plugin.restart.max.attempts allows
    assertThat(failure(run.events))
        .hasMessageContaining("UNKNOWN: no such host")
        .hasMessageContaining("failed Init again with the same error");
  }

  @Test
  void shouldRetryAnInitThatKeepsTimingOutUpToTheLimit() throws Exception {
    Run run =
        run(
            Collections.nCopies(10, Status.UNAVAILABLE.withDescription("connection refused")),
            Status.OK);

    assertThat(run.opened).isEqualTo(MAX_RESTARTS + 1);
    assertThat(failure(run.events))
        .hasMessageContaining("the plugin failed 5 times in a row")
        .hasMessageContaining("UNAVAILABLE: connection refused");
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"INTERNAL", "UNKNOWN", "UNAVAILABLE", "RESOURCE_EXHAUSTED"})
  void shouldRetryTransientSyncFailuresUpToTheLimit(Status.Code code) throws Exception {
    Run run = run(List.of(), Status.fromCode(code).withDescription("flaky"));

    assertThat(run.opened).isEqualTo(MAX_RESTARTS + 1);
    assertThat(failure(run.events))
        .hasMessageContaining("the plugin failed 5 times in a row")
        .hasMessageContaining("(plugin.restart.max.attempts = 4)")
        .hasMessageContaining(code + ": flaky");
    // a Started and an Aborted per attempt, then Failed
    assertThat(run.events).hasSize(2 * (MAX_RESTARTS + 1) + 1);
  }

  /** The events the sync thread queued and how often it opened the plugin. */
  private record Run(List<SyncEvent> events, int opened) {}

  /** Serves a plugin answering Init and Sync as given; runs the sync thread until it ends. */
  private static Run run(List<Status> initFailures, Status sync) throws Exception {
    LinkedBlockingQueue<SyncEvent> queue = new CommittingQueue();
    try (FakeSourcePlugin plugin = new FakeSourcePlugin(initFailures, sync);
        SourceMetrics metrics = new SourceMetrics("retry-test", 0)) {
      runner(settings(), plugin, queue, metrics, Clock.systemUTC()).run();
      List<SyncEvent> events = new ArrayList<>();
      queue.drainTo(events);
      return new Run(events, plugin.opened());
    }
  }

  /** A sync thread over {@code plugin} without state or record building (empty syncs only). */
  static SyncRunner runner(
      SyncSettings settings,
      FakeSourcePlugin plugin,
      LinkedBlockingQueue<SyncEvent> queue,
      SourceMetrics metrics,
      Clock clock) {
    return new SyncRunner(
        settings, plugin::open, capture -> null, null, new CursorState(), queue, metrics, clock);
  }

  static SyncSettings settings() {
    return settings("", Duration.ZERO, FullRefresh.NEVER);
  }

  /** Settings of a task syncing every {@code interval}, keeping state in {@code stateTable}. */
  static SyncSettings settings(String stateTable, Duration interval, FullRefresh fullRefresh) {
    return new SyncSettings(
        "src",
        List.of("*"),
        List.of(),
        false,
        false,
        0,
        0,
        stateTable,
        interval,
        MAX_RESTARTS,
        Duration.ofMillis(1),
        Duration.ofMillis(1),
        TimestampPrecision.MILLISECONDS,
        null,
        fullRefresh);
  }

  /** The cause of the final {@link SyncEvent.Failed}, after checking that it is the last event. */
  static RuntimeException failure(List<SyncEvent> events) {
    assertThat(events).last().isInstanceOf(SyncEvent.Failed.class);
    RuntimeException cause = ((SyncEvent.Failed) events.get(events.size() - 1)).cause();
    assertThat(cause).isExactlyInstanceOf(ConnectException.class);
    return cause;
  }

  /**
   * Stands in for the poll thread's committer: marks each sync committed as it starts, so that a
   * sync that ends lets the thread go on (it waits for the commit only after the sync ended).
   */
  static final class CommittingQueue extends LinkedBlockingQueue<SyncEvent> {
    @Override
    public void put(SyncEvent event) throws InterruptedException {
      if (event instanceof SyncEvent.Started started) {
        started.committed().complete(null);
      }
      super.put(event);
    }
  }
}
