package io.cqconnect.source;

import io.cqconnect.arrow.CqTable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The table set the discovery thread found last, and the rule that decides when the tasks must be
 * reconfigured: whenever {@code taskConfigs} answered with a different selection than the latest
 * one, or could not answer because nothing had been discovered yet.
 *
 * <p>Threads: the discovery thread calls {@link #offer} and {@link #failed}; Connect's herder
 * thread calls {@link #forTaskConfigs}; the connector's thread calls {@link #awaitFirstAttempt}.
 * All methods lock this object and none of them calls out, so none can block the herder.
 */
final class DiscoveredTables {

  private final String source;
  private List<CqTable> latest;
  private Map<String, String> latestSelection;
  private Map<String, String> served;
  private boolean asked;
  private boolean attempted;
  private String lastFailure;

  DiscoveredTables(String source) {
    this.source = source;
  }

  /** What a successful discovery changed, compared with the previous one. */
  record Update(boolean reconfigure, boolean first, Set<String> added, Set<String> removed) {}

  /**
   * Records the tables a discovery found (children included, in the plugin's order).
   *
   * @return whether the tasks must be reconfigured, and which tables came or went
   */
  synchronized Update offer(List<CqTable> tables) {
    Map<String, String> selection = selectionOf(tables);
    boolean first = latestSelection == null;
    Set<String> added = new LinkedHashSet<>(selection.keySet());
    Set<String> removed = new LinkedHashSet<>();
    if (!first) {
      added.removeAll(latestSelection.keySet());
      removed.addAll(latestSelection.keySet());
      removed.removeAll(selection.keySet());
    }
    // An equal selection keeps the list taskConfigs already used, so a plugin that lists its tables
    // in another order does not move tables between tasks.
    if (first || !selection.equals(latestSelection)) {
      latest = List.copyOf(tables);
      latestSelection = selection;
    }
    attempted = true;
    lastFailure = null;
    notifyAll();
    boolean reconfigure = asked && !latestSelection.equals(served);
    return new Update(reconfigure, first, Set.copyOf(added), Set.copyOf(removed));
  }

  /** Records a failed discovery; {@code reason} goes into taskConfigs' error until one succeeds. */
  synchronized void failed(String reason) {
    attempted = true;
    lastFailure = reason;
    notifyAll();
  }

  /** Whether a discovery has ever succeeded. */
  synchronized boolean hasTables() {
    return latest != null;
  }

  /**
   * The tables for {@code taskConfigs}, remembered as what the tasks now run.
   *
   * @throws ConnectException when no discovery has succeeded yet: Connect then keeps the tasks it
   *     has and retries, and the discovery thread asks for a reconfiguration once it has tables
   */
  synchronized List<CqTable> forTaskConfigs() {
    asked = true;
    if (latest == null) {
      throw new ConnectException(
          "Source '"
              + source
              + "': the plugin's tables are not discovered yet, so tasks cannot be assigned;"
              + " existing tasks keep running and the connector asks Connect to reconfigure them"
              + " once discovery succeeds"
              + (lastFailure == null
                  ? ""
                  : ". Last discovery error (fix the plugin or its spec): " + lastFailure));
    }
    served = latestSelection;
    return latest;
  }

  /**
   * Waits until the first discovery attempt ended (either way) or {@code timeout} passed.
   *
   * @return whether an attempt ended in time
   */
  synchronized boolean awaitFirstAttempt(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!attempted) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    return true;
  }

  /** Table name to parent name (empty for top-level tables): what task assignment depends on. */
  private static Map<String, String> selectionOf(List<CqTable> tables) {
    Map<String, String> selection = new LinkedHashMap<>();
    for (CqTable table : tables) {
      selection.put(table.name(), table.parent() == null ? "" : table.parent());
    }
    return selection;
  }
}
