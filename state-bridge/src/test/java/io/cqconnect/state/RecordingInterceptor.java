package io.cqconnect.state;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the short name of every RPC a client starts on the server, in order. */
final class RecordingInterceptor implements ServerInterceptor {

  private final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String full = call.getMethodDescriptor().getFullMethodName();
    calls.add(full.substring(full.lastIndexOf('.') + 1));
    return next.startCall(call, headers);
  }

  /** The calls so far, like {@code Discovery/GetVersions}, {@code Plugin/Write}. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  void clear() {
    calls.clear();
  }
}
