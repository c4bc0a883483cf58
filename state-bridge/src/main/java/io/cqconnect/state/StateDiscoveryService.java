package io.cqconnect.state;

import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Discovery v1 of the state backend: it speaks plugin protocol 3 only. */
final class StateDiscoveryService extends DiscoveryGrpc.DiscoveryImplBase {

  private static final Logger log = LoggerFactory.getLogger(StateDiscoveryService.class);

  @Override
  public void getVersions(
      GetVersions.Request request, StreamObserver<GetVersions.Response> responseObserver) {
    log.debug("RPC Discovery.GetVersions -> [3]");
    responseObserver.onNext(GetVersions.Response.newBuilder().addVersions(3).build());
    responseObserver.onCompleted();
  }
}
