package io.cqconnect.source;

import io.cqconnect.plugin.SocketDirs;
import io.cqconnect.state.StateBackendServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The state endpoint one sync's plugin writes its cursors to. The endpoint has no authentication,
 * and a cursor written to it is committed, so it must be reachable by the plugin only: for a
 * launched plugin it is a unix socket in a fresh directory only the worker's user may enter (mode
 * 0700); for a plugin dialled at {@code plugin.address} it is a fresh port on {@code
 * state.endpoint.host}, which the operator chose for that plugin.
 */
final class StateEndpointServer implements SyncRunner.StateEndpoint {

  private final StateBackendServer server;
  private final Path socketDir;

  private StateEndpointServer(StateBackendServer server, Path socketDir) {
    this.server = server;
    this.socketDir = socketDir;
  }

  /**
   * Starts an endpoint for one sync.
   *
   * @param host {@code state.endpoint.host} for a dialled plugin, or empty for a private socket
   */
  static SyncRunner.StateEndpoint start(SyncStateCapture capture, Optional<String> host) {
    Path dir = null;
    try {
      String address;
      if (host.isPresent()) {
        String h = host.get();
        address = (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":0";
      } else {
        dir = SocketDirs.create("cq-state-", "state.sock");
        address = "unix://" + dir.resolve("state.sock");
      }
      StateBackendServer server =
          StateBackendServer.builder(capture)
              .address(address)
              .threadNamePrefix("cq-source-state")
              .start();
      return new StateEndpointServer(server, dir);
    } catch (IOException e) {
      SocketDirs.deleteQuietly(dir);
      throw new UncheckedIOException(
          "Cannot start the state endpoint for the plugin: " + e.getMessage(), e);
    }
  }

  @Override
  public String target() {
    return server.target();
  }

  /** The directory of the unix socket, or null for a TCP endpoint. */
  Path socketDir() {
    return socketDir;
  }

  @Override
  public void close() {
    server.close();
    SocketDirs.deleteQuietly(socketDir);
  }
}
