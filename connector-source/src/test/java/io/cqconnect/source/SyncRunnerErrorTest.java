package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.config.TimestampPrecision;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class SyncRunnerErrorTest {

  @Test
  void shouldFailTheTaskWhenTheSyncThreadHitsAnError() {
    SyncSettings settings =
        new SyncSettings(
            "src",
            List.of("*"),
            List.of(),
            false,
            false,
            0,
            0,
            "",
            Duration.ZERO,
            3,
            Duration.ofMillis(1),
            Duration.ofMillis(1),
            TimestampPrecision.MILLISECONDS);
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
