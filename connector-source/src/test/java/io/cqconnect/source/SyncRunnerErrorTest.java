package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class SyncRunnerErrorTest {

  @Test
  void shouldFailTheTaskWhenTheSyncThreadHitsAnError() {
    SyncSettings settings = SyncRunnerRetryTest.settings();
    BlockingQueue<SyncEvent> queue = new ArrayBlockingQueue<>(4);
    NoClassDefFoundError missing = new NoClassDefFoundError("io/cqconnect/source/Gone");
    try (SourceMetrics metrics = new SourceMetrics("error-test", 0)) {
      SyncRunner runner =
          new SyncRunner(
              settings,
              () -> {
                throw missing;
              },
              capture -> null,
              null,
              new CursorState(),
              queue,
              metrics,
              Clock.systemUTC());

      runner.run();
    }

    assertThat(queue).hasSize(2);
    assertThat(queue.poll()).isInstanceOf(SyncEvent.Started.class);
    SyncEvent event = queue.peek();
    assertThat(event).isInstanceOf(SyncEvent.Failed.class);
    RuntimeException cause = ((SyncEvent.Failed) event).cause();
    assertThat(cause)
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("src")
        .hasCause(missing);
  }
}
