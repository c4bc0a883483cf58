package io.cqconnect.source;

import io.cqconnect.arrow.CqTable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's discovery thread: asks the plugin for its selected tables at start and then every
 * interval, hands each answer to {@link DiscoveredTables}, and asks Connect to reconfigure the
 * tasks when that says so. A failed discovery is logged and retried with backoff; it never stops
 * the thread or the connector.
 *
 * <p>Threads: the connector's thread calls {@link #start} and {@link #close}; everything else runs
 * on the thread named {@code cq-source-<connector>-discovery}. Connect's herder never waits for it.
 */
final class TableDiscovery implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TableDiscovery.class);

  /**
   * How long {@link #close} waits for the thread. Interrupting it cancels the plugin call and kills
   * the plugin at once, so this only matters if the plugin ignores both.
   */
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

  /** Floor of the retry wait: a zero backoff would relaunch a failing plugin in a tight loop. */
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

  private final String connector;
  private final String source;
  private final Supplier<List<CqTable>> lister;
  private final DiscoveredTables tables;
  private final ConnectorContext context;
  private final Duration interval;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;
  private Thread thread;
  private int failures;

  /**
   * @param lister one discovery: opens the plugin, calls GetTables with the connector's filters and
   *     closes the plugin; throws with the plugin's message when that fails
   * @param interval pause after a successful discovery; zero stops after the first success
   */
  TableDiscovery(
      String connector,
      String source,
      Supplier<List<CqTable>> lister,
      DiscoveredTables tables,
      ConnectorContext context,
      Duration interval,
      Duration backoffInitial,
      Duration backoffMax) {
    this.connector = connector;
    this.source = source;
    this.lister = lister;
    this.tables = tables;
    this.context = context;
    this.interval = interval;
    this.backoffInitial = backoffInitial;
    this.backoffMax = backoffMax;
  }

  /** Starts the discovery thread (once). */
  synchronized void start() {
    if (thread != null || closed.get()) {
      return;
    }
    thread = new Thread(this::run, "cq-source-" + connector + "-discovery");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stopping) {
        Optional<Duration> next = runOnce();
        if (next.isEmpty()) {
          return;
        }
        Thread.sleep(Math.max(1, next.get().toMillis()));
      }
    } catch (InterruptedException e) {
      // close() interrupts a pause between discoveries: nothing to clean up.
    } catch (RuntimeException e) {
      log.error("Source '{}': table discovery stopped unexpectedly", source, e);
    }
  }

  /**
   * One discovery and what follows from it. Visible for testing, which drives it without a thread.
   *
   * @return the pause before the next discovery, or empty when none is due
   */
  Optional<Duration> runOnce() {
    long started = System.nanoTime();
    List<CqTable> found;
    try {
      found = lister.get();
    } catch (RuntimeException e) {
      if (stopping) {
        return Optional.empty();
      }
      failures++;
      Duration wait = backoff();
      tables.failed(e.getMessage());
      if (tables.hasTables()) {
        log.warn(
            "Source '{}': table discovery failed (attempt {}), retrying in {} ms; the tasks keep the"
                + " tables discovered before: {}",
            source,
            failures,
            wait.toMillis(),
            e.getMessage());
      } else {
        log.error(
            "Source '{}': table discovery failed (attempt {}), retrying in {} ms; no task can start"
                + " until it succeeds, so fix the plugin or its spec: {}",
            source,
            failures,
            wait.toMillis(),
            e.getMessage());
      }
      return Optional.of(wait);
    }
    failures = 0;
    DiscoveredTables.Update update = tables.offer(found);
    long millis = (System.nanoTime() - started) / 1_000_000L;
    if (update.first()) {
      log.info("Source '{}': discovered {} tables in {} ms", source, found.size(), millis);
    } else if (!update.added().isEmpty() || !update.removed().isEmpty()) {
      log.info(
          "Source '{}': discovered {} tables in {} ms; new: {}, gone: {}",
          source,
          found.size(),
          millis,
          update.added(),
          update.removed());
    } else {
      log.debug(
          "Source '{}': discovered the same {} tables in {} ms", source, found.size(), millis);
    }
    if (update.reconfigure() && !stopping) {
      requestReconfiguration();
    }
    return interval.isZero() ? Optional.empty() : Optional.of(interval);
  }

  private void requestReconfiguration() {
    log.info(
        "Source '{}': the tasks run another table set than discovered; asking Connect to"
            + " reconfigure them",
        source);
    try {
      context.requestTaskReconfiguration();
    } catch (RuntimeException e) {
      // Standalone workers reconfigure on this thread and may fail; the next discovery asks again
      // because the tasks still run another selection.
      log.warn(
          "Source '{}': the request to reconfigure the tasks failed, asking again after the next"
              + " discovery: {}",
          source,
          e.toString());
    }
  }

  /** Initial backoff doubled per failure, capped by the max and (when set) the interval. */
  private Duration backoff() {
    Duration cap = backoffMax;
    if (!interval.isZero() && interval.compareTo(cap) < 0) {
      cap = interval;
    }
    if (cap.compareTo(MIN_BACKOFF) < 0) {
      cap = MIN_BACKOFF;
    }
    Duration wait = backoffInitial.compareTo(MIN_BACKOFF) < 0 ? MIN_BACKOFF : backoffInitial;
    for (int i = 1; i < failures && wait.compareTo(cap) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(cap) > 0 ? cap : wait;
  }

  /**
   * Stops the thread: interrupts a pause or a plugin call, then joins. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running == null) {
      return;
    }
    long started = System.nanoTime();
    try {
      running.interrupt();
      running.join(JOIN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Source '{}': error stopping table discovery: {}", source, e.toString());
    }
    if (running.isAlive()) {
      log.warn(
          "Source '{}': the table discovery thread did not stop within {}; it ends when its plugin"
              + " call times out",
          source,
          JOIN_TIMEOUT);
    } else {
      log.info(
          "Source '{}': stopped table discovery in {} ms",
          source,
          (System.nanoTime() - started) / 1_000_000L);
    }
  }
}
