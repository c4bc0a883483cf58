package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.state.StateRow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MirrorWriterTest {

  private final FakeMirror table = new FakeMirror(new StateRow("a", "1", 1));
  private final SourceMetrics metrics = new SourceMetrics("mirror-test", 0);
  private final MirrorWriter mirror =
      new MirrorWriter(() -> table, Duration.ofSeconds(1), metrics, "mirror-test-mirror");

  @AfterEach
  void close() {
    mirror.close();
    metrics.close();
  }

  @Test
  void shouldWriteTheSubmittedCursorsOnItsOwnThread() throws InterruptedException {
    mirror.submit(List.of(new StateRow("a", "2", 2), new StateRow("b", "1", 1)));

    assertThat(table.nextWrite())
        .containsExactly(new StateRow("a", "2", 2), new StateRow("b", "1", 1));
  }

  @Test
  void shouldKeepTheInterruptOfAThreadReadingTheTable() {
    CountDownLatch opened = new CountDownLatch(1);
    try (SourceMetrics own = new SourceMetrics("mirror-test-interrupt", 0);
        MirrorWriter slow =
            new MirrorWriter(
                () -> {
                  try {
                    opened.await(); // the table answers only after the reader was interrupted
                  } catch (InterruptedException e) {
                    throw new IllegalStateException("read cancelled", e);
                  }
                  return table;
                },
                Duration.ofSeconds(1),
                own,
                "mirror-test-slow")) {
      Thread.currentThread().interrupt();

      List<StateRow> rows = slow.readAll();

      assertThat(Thread.interrupted()).as("interrupt flag still set").isTrue();
      assertThat(rows).isEmpty();
    } finally {
      opened.countDown();
    }
  }
}
