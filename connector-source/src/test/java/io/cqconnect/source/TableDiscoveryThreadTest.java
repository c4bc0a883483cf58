package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.CqTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The discovery thread's lifecycle: its name, its repeats, and a prompt, idempotent stop. */
class TableDiscoveryThreadTest {

  private final DiscoveredTables discovered = new DiscoveredTables("src");
  private final TableDiscoveryTest.CountingContext context =
      new TableDiscoveryTest.CountingContext();

  private TableDiscovery discovery(Supplier<List<CqTable>> lister, Duration interval) {
    return new TableDiscovery(
        "conn",
        "src",
        lister,
        discovered,
        context,
        interval,
        Duration.ofMillis(100),
        Duration.ofSeconds(1));
  }

  @Test
  void shouldRepeatOnANamedThreadUntilClosed() throws Exception {
    CountDownLatch threeDiscoveries = new CountDownLatch(3);
    AtomicReference<String> threadName = new AtomicReference<>();
    TableDiscovery discovery =
        discovery(
            () -> {
              threadName.set(Thread.currentThread().getName());
              threeDiscoveries.countDown();
              return TableDiscoveryTest.tables("a");
            },
            Duration.ofMillis(20));

    discovery.start();
    assertThat(discovered.awaitFirstAttempt(Duration.ofSeconds(10))).isTrue();
    assertThat(threeDiscoveries.await(10, TimeUnit.SECONDS)).isTrue();
    discovery.close();

    assertThat(threadName.get()).isEqualTo("cq-source-conn-discovery");
    assertThat(liveThreadNamed("cq-source-conn-discovery")).isFalse();
  }

  @Test
  void shouldInterruptAHangingPluginCallWhenClosedTwice() throws Exception {
    CountDownLatch called = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TableDiscovery discovery =
        discovery(
            () -> {
              called.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
              }
              throw new IllegalStateException("GetTables cancelled: thread interrupted");
            },
            Duration.ofMinutes(5));
    discovery.start();
    assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(discovered.awaitFirstAttempt(Duration.ofMillis(50))).isFalse();

    long started = System.nanoTime();
    discovery.close();
    discovery.close();
    long millis = (System.nanoTime() - started) / 1_000_000L;

    assertThat(interrupted.getCount()).isZero();
    assertThat(millis).as("close() returns once the plugin call is interrupted").isLessThan(5_000);
    assertThat(liveThreadNamed("cq-source-conn-discovery")).isFalse();
    assertThat(discovered.hasTables()).isFalse();
    assertThat(context.requests).isZero();
  }

  @Test
  void shouldDoNothingWhenClosedBeforeStartOrStartedAfterClose() {
    TableDiscovery discovery = discovery(() -> TableDiscoveryTest.tables("a"), Duration.ZERO);

    discovery.close();
    discovery.start();

    assertThat(liveThreadNamed("cq-source-conn-discovery")).isFalse();
    assertThat(discovered.hasTables()).isFalse();
  }

  private static boolean liveThreadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals(name));
  }
}
