package io.cqconnect.sink;

import io.cqconnect.config.SinkConfig;
import io.cqconnect.connector.ConfiguredPlugins;
import io.cqconnect.plugin.GrpcErrors;
import io.cqconnect.plugin.PluginClient;
import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginProcess;
import io.grpc.Status;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination plugin of one sink task: launched (or dialled) and initialised on first use,
 * dropped after a failure that shows it is gone (its process exited, or a dialled plugin became
 * unavailable) so the next write opens it again, and closed with the {@code Close} RPC as the
 * CloudQuery CLI does after its last {@code Write}. Used by the task thread only.
 */
final class DestinationPlugin implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DestinationPlugin.class);

  private final SinkConfig config;
  private final String name;
  private final Runnable onRestart;
  private PluginConnection connection;
  private boolean opened;

  DestinationPlugin(SinkConfig config, String name, Runnable onRestart) {
    this.config = config;
    this.name = name;
    this.onRestart = onRestart;
  }

  /** The client, opening (launch or dial, then {@code Init}) the plugin if needed. */
  PluginClient client() {
    if (connection == null) {
      if (opened) {
        onRestart.run();
        log.info("re-opening destination plugin {}", name);
      }
      connection = ConfiguredPlugins.open(config, name, false);
      opened = true;
    }
    return connection.client();
  }

  /** True when the launched process has exited. */
  boolean processDied() {
    return connection != null && connection.process().map(p -> !p.isAlive()).orElse(false);
  }

  /** The launched plugin process's id; empty when the plugin is dialled or not open now. */
  OptionalLong pid() {
    if (connection == null) {
      return OptionalLong.empty();
    }
    return connection.process().map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
  }

  /**
   * Called after a failed write: if the plugin is gone, forget it so the next {@link #client()}
   * starts it again.
   *
   * @return whether the plugin was dropped
   */
  boolean dropIfGone(Throwable failure) {
    if (connection == null) {
      return false;
    }
    Status status = GrpcErrors.statusOf(failure);
    boolean unavailable = status != null && status.getCode() == Status.Code.UNAVAILABLE;
    boolean launched = connection.process().isPresent();
    if (processDied() || (!launched && unavailable)) {
      String what = connection.process().map(PluginProcess::describe).orElse(connection.label());
      log.warn("destination plugin {} is gone ({}); it will be opened again", name, what);
      connection.close();
      connection = null;
      return true;
    }
    return false;
  }

  /**
   * Closes a plugin this task launched, so that the next {@link #client()} starts a fresh process:
   * used when the destination refused a delete and then failed an empty {@code Write}, because
   * CloudQuery's SDK batch writer (the SQLite destination's) keeps a refused delete queued and
   * repeats it, failing every later {@code Write} of that process. A dialled plugin cannot be
   * restarted from here and is kept.
   *
   * @return whether the plugin was closed
   */
  boolean restartIfLaunched(String why) {
    if (connection == null || connection.process().isEmpty()) {
      return false;
    }
    log.info("restarting destination plugin {}: {}", name, why);
    close();
    return true;
  }

  /** Sends {@code Close} (best effort), then shuts the channel and process down. Idempotent. */
  @Override
  public void close() {
    if (connection == null) {
      return;
    }
    try {
      if (!processDied()) {
        connection.client().close();
      }
    } catch (RuntimeException e) {
      log.warn("Close on destination plugin {} failed: {}", name, e.getMessage());
    } finally {
      connection.close();
      connection = null;
    }
  }
}
