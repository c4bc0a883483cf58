package io.cqconnect.source;

import io.cqconnect.state.StateBackendServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The loopback state endpoint one sync's plugin writes its cursors to. */
final class StateEndpointServer implements SyncRunner.StateEndpoint {

  private final StateBackendServer server;

  private StateEndpointServer(StateBackendServer server) {
    this.server = server;
  }

  static SyncRunner.StateEndpoint start(SyncStateCapture capture) {
    try {
      return new StateEndpointServer(
          StateBackendServer.builder(capture)
              .address(StateBackendServer.DEFAULT_ADDRESS)
              .threadNamePrefix("cq-source-state")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the loopback state endpoint for the plugin", e);
    }
  }

  @Override
  public String target() {
    return server.target();
  }

  @Override
  public void close() {
    server.close();
  }
}
