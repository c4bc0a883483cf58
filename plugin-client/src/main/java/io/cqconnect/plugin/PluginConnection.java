package io.cqconnect.plugin;

import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way connectors get a plugin: launch a local binary or dial a running server, wait until
 * it answers, check that it speaks protocol v3, and own the channel (and process) until {@link
 * #close()}.
 *
 * <p>Closing shuts the channel down and stops the process; it does not send the {@code Close} RPC,
 * which callers send themselves where the protocol wants it (destinations).
 */
public final class PluginConnection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PluginConnection.class);

  /** How long in-flight calls get to finish when the channel shuts down. */
  private static final Duration CHANNEL_SHUTDOWN_GRACE = Duration.ofSeconds(2);

  private final PluginChannels.Opened channel;
  private final PluginClient client;
  private final String target;
  private final String label;
  private final List<Integer> versions;
  private final PluginProcess process;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PluginConnection(
      PluginChannels.Opened channel,
      PluginClient client,
      String target,
      String label,
      List<Integer> versions,
      PluginProcess process) {
    this.channel = channel;
    this.client = client;
    this.target = target;
    this.label = label;
    this.versions = versions;
    this.process = process;
  }

  /**
   * Launches the plugin binary, waits until it answers {@code GetVersions} (or fails clearly when
   * it exits or the start timeout passes) and checks it lists protocol 3. On failure nothing is
   * left running.
   */
  public static PluginConnection launch(PluginLaunchSpec spec) {
    PluginProcess process = PluginProcess.start(spec);
    PluginChannels.Opened channel = null;
    try {
      channel = PluginChannels.open(process.target(), spec.maxMessageBytes());
      String label = spec.name() + " (" + process.target() + ")";
      PluginClient probe =
          new PluginClient(
              channel.channel(), label, spec.callTimeout(), spec.maxMessageBytes(), null);
      List<Integer> versions =
          Readiness.await(channel.channel(), probe, spec.startTimeout(), process);
      requireV3(versions, label);
      PluginClient client =
          new PluginClient(
              channel.channel(),
              label,
              spec.callTimeout(),
              spec.maxMessageBytes(),
              processDiagnostics(process));
      log.info("plugin {} is ready, protocol versions {}", label, versions);
      return new PluginConnection(channel, client, process.target(), label, versions, process);
    } catch (RuntimeException e) {
      if (channel != null) {
        channel.shutdown(Duration.ZERO);
      }
      process.stop();
      throw e;
    }
  }

  /** Dials a running plugin with the default timeouts (30 s to answer, 60 s per call, 200 MiB). */
  public static PluginConnection dial(String target) {
    return dial(
        target,
        PluginLaunchSpec.DEFAULT_START_TIMEOUT,
        PluginClient.DEFAULT_CALL_TIMEOUT,
        PluginClient.DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * Dials an already running plugin ({@code registry: grpc}): {@code host:port} or {@code
   * unix:/path}; waits up to {@code readyTimeout} until it answers and checks it lists protocol 3.
   */
  public static PluginConnection dial(
      String target, Duration readyTimeout, Duration callTimeout, int maxMessageBytes) {
    if (target == null || target.isBlank()) {
      throw new ConnectException("Plugin address is empty: give host:port or unix:/path");
    }
    PluginChannels.Opened channel = PluginChannels.open(target.trim(), maxMessageBytes);
    try {
      String label = target.trim();
      PluginClient client =
          new PluginClient(channel.channel(), label, callTimeout, maxMessageBytes, null);
      List<Integer> versions = Readiness.await(channel.channel(), client, readyTimeout, null);
      requireV3(versions, label);
      log.info("plugin at {} is ready, protocol versions {}", label, versions);
      return new PluginConnection(channel, client, label, label, versions, null);
    } catch (RuntimeException e) {
      channel.shutdown(Duration.ZERO);
      throw e;
    }
  }

  /** The typed client; valid until {@link #close()}. */
  public PluginClient client() {
    return client;
  }

  /** The channel, for callers that need their own stubs; owned by this connection. */
  public Channel channel() {
    return channel.channel();
  }

  /** The gRPC target: {@code host:port} or {@code unix:/path}. */
  public String target() {
    return target;
  }

  /** How the plugin is named in errors: {@code name (target)} or the dialled target. */
  public String label() {
    return label;
  }

  /** The protocol versions the plugin listed (contains 3). */
  public List<Integer> versions() {
    return versions;
  }

  /** The launched process, or empty for a dialled plugin. */
  public Optional<PluginProcess> process() {
    return Optional.ofNullable(process);
  }

  /** The last lines the launched plugin printed; empty for a dialled plugin. */
  public List<String> recentLogs() {
    return process == null ? List.of() : process.recentLogs();
  }

  /**
   * Shuts the channel down (in-flight calls get a moment, then are cancelled) and stops the process
   * (SIGTERM, SIGKILL after the grace period). Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      channel.shutdown(CHANNEL_SHUTDOWN_GRACE);
    } catch (RuntimeException e) {
      log.warn("error closing the channel to plugin {}: {}", label, e.toString());
    }
    if (process != null) {
      process.stop();
    }
  }

  @Override
  public String toString() {
    return "PluginConnection{" + label + "}";
  }

  private static void requireV3(List<Integer> versions, String label) {
    if (!versions.contains(PluginClient.PROTOCOL_VERSION)) {
      throw new ConnectException(
          "Plugin "
              + label
              + " offers protocol versions "
              + versions
              + ", but cq-connect needs version "
              + PluginClient.PROTOCOL_VERSION
              + "; use a plugin built on a current CloudQuery SDK (Go plugin-sdk v4+)");
    }
  }

  /**
   * Adds the process state and its last output to errors once the process has died, which is the
   * usual reason for UNAVAILABLE mid-call; waits briefly because the socket closes before exit.
   */
  private static Function<Throwable, String> processDiagnostics(PluginProcess process) {
    return error -> {
      Status status = GrpcErrors.statusOf(error);
      if (process.isAlive()
          && status != null
          && (status.getCode() == Status.Code.UNAVAILABLE
              || status.getCode() == Status.Code.CANCELLED)) {
        try {
          process.waitForExit(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (process.isAlive()) {
        return null;
      }
      process.awaitOutputDrained(Duration.ofSeconds(1));
      return "the plugin process "
          + process.describe()
          + " has exited; its last output:\n  "
          + process.logTail(10);
    };
  }
}
