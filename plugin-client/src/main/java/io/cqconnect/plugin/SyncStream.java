package io.cqconnect.plugin;

import io.cqconnect.plugin.proto.v3.Sync;
import java.util.function.Function;

/** The response stream of one {@code Sync} call (see {@link ResponseStream} for the contract). */
public final class SyncStream extends ResponseStream<Sync.Response> {
  SyncStream(String plugin, Function<Throwable, String> diagnostics, int prefetch) {
    super("Sync", plugin, diagnostics, prefetch);
  }
}
