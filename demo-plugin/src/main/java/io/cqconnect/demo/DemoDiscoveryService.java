package io.cqconnect.demo;

import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.grpc.stub.StreamObserver;

/** Discovery v1: the demo plugin speaks plugin protocol 3 only, as the Java and JS SDKs report. */
final class DemoDiscoveryService extends DiscoveryGrpc.DiscoveryImplBase {

  @Override
  public void getVersions(GetVersions.Request request, StreamObserver<GetVersions.Response> out) {
    out.onNext(GetVersions.Response.newBuilder().addVersions(3).build());
    out.onCompleted();
  }
}
