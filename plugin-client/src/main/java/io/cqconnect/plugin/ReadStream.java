package io.cqconnect.plugin;

import io.cqconnect.plugin.proto.v3.Read;
import java.util.function.Function;

/**
 * The response stream of one {@code Read} call, bounded by a deadline (see {@link ResponseStream}
 * for the contract).
 */
public final class ReadStream extends ResponseStream<Read.Response> {
  ReadStream(String plugin, Function<Throwable, String> diagnostics, int prefetch) {
    super("Read", plugin, diagnostics, prefetch);
  }
}
