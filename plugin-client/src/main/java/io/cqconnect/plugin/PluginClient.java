package io.cqconnect.plugin;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.discovery.v1.DiscoveryGrpc;
import io.cqconnect.plugin.proto.discovery.v1.GetVersions;
import io.cqconnect.plugin.proto.v3.Close;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.GetSpecSchema;
import io.cqconnect.plugin.proto.v3.GetTables;
import io.cqconnect.plugin.proto.v3.GetVersion;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.Read;
import io.cqconnect.plugin.proto.v3.Sync;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Typed calls of CloudQuery plugin protocol v3 (and discovery v1) over a gRPC {@link Channel}.
 *
 * <p>The client does not own the channel: whoever created it shuts it down. Every unary call gets
 * the per-call deadline; streams are bounded by cancellation (and {@code Read} by a deadline).
 * Every stub carries the configured inbound and outbound message size limit. Failures are thrown as
 * Connect exceptions mapped by {@link GrpcErrors}. Instances are thread-safe.
 */
public final class PluginClient {

  /** The message size limit the CloudQuery CLI and Go SDK use: 200 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 200 * 1024 * 1024;

  /** Default deadline of a unary call. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  /** How many stream messages are requested ahead of the consumer by default. */
  public static final int DEFAULT_PREFETCH = 8;

  /** The protocol version cq-connect speaks. */
  public static final int PROTOCOL_VERSION = 3;

  /** What the CLI sends as Init spec when the plugin's spec block is missing or empty. */
  private static final byte[] NULL_SPEC = "null".getBytes(StandardCharsets.US_ASCII);

  private final Channel channel;
  private final String plugin;
  private final Duration callTimeout;
  private final int maxMessageBytes;
  private final Function<Throwable, String> diagnostics;

  /** A client with the default call timeout and message size limit. */
  public PluginClient(Channel channel, String plugin) {
    this(channel, plugin, DEFAULT_CALL_TIMEOUT, DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * A client for one plugin.
   *
   * @param channel the channel to the plugin; not owned
   * @param plugin how the plugin is named in error messages, e.g. {@code "cq-source-test
   *     (127.0.0.1:4000)"}
   * @param callTimeout deadline of each unary call
   * @param maxMessageBytes inbound and outbound message size limit
   */
  public PluginClient(Channel channel, String plugin, Duration callTimeout, int maxMessageBytes) {
    this(channel, plugin, callTimeout, maxMessageBytes, null);
  }

  PluginClient(
      Channel channel,
      String plugin,
      Duration callTimeout,
      int maxMessageBytes,
      Function<Throwable, String> diagnostics) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.plugin = Objects.requireNonNull(plugin, "plugin");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
    }
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be positive, got " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.diagnostics = diagnostics;
  }

  /** How the plugin is named in error messages. */
  public String plugin() {
    return plugin;
  }

  /** The deadline of each unary call. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** The inbound and outbound message size limit of every call. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * Discovery v1 {@code GetVersions}: the protocol versions the plugin speaks.
   *
   * @throws ConnectException if the plugin has no discovery v1 (an old protocol)
   */
  public List<Integer> getVersions() {
    return getVersions(callTimeout);
  }

  List<Integer> getVersions(Duration deadline) {
    try {
      return discovery(deadline)
          .getVersions(GetVersions.Request.getDefaultInstance())
          .getVersionsList();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw new ConnectException(
            "Plugin "
                + plugin
                + " does not implement discovery v1 GetVersions: it speaks an old CloudQuery"
                + " protocol, and cq-connect needs protocol v3 (plugin-sdk v4 or newer);"
                + " upgrade the plugin",
            e);
      }
      throw failure(e, "GetVersions");
    }
  }

  /** {@code GetName}: the plugin's name. */
  public String name() {
    return unary("GetName", () -> plugin(callTimeout).getName(GetName.Request.getDefaultInstance()))
        .getName();
  }

  /** {@code GetVersion}: the plugin's own version string. */
  public String version() {
    return unary(
            "GetVersion",
            () -> plugin(callTimeout).getVersion(GetVersion.Request.getDefaultInstance()))
        .getVersion();
  }

  /**
   * {@code GetSpecSchema}: the JSON schema of the plugin's spec; empty if unset or unimplemented.
   */
  public Optional<String> specSchema() {
    try {
      GetSpecSchema.Response r =
          plugin(callTimeout).getSpecSchema(GetSpecSchema.Request.getDefaultInstance());
      return r.hasJsonSchema() && !r.getJsonSchema().isEmpty()
          ? Optional.of(r.getJsonSchema())
          : Optional.empty();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Optional.empty();
      }
      throw failure(e, "GetSpecSchema");
    }
  }

  /**
   * {@code Init} with the plugin's spec as JSON; a null, empty or blank spec is sent as the 4 bytes
   * {@code null}, as the CloudQuery CLI does.
   */
  public void init(byte[] specJson, boolean noConnection) {
    init(specJson, noConnection, "");
  }

  /** {@code Init} with an invocation id (the CLI sends a per-run UUID; plugins add it to logs). */
  public void init(byte[] specJson, boolean noConnection, String invocationId) {
    Init.Request request =
        Init.Request.newBuilder()
            .setSpec(ByteString.copyFrom(specOrNull(specJson)))
            .setNoConnection(noConnection)
            .setInvocationId(invocationId == null ? "" : invocationId)
            .build();
    unary("Init", () -> plugin(callTimeout).init(request));
  }

  /**
   * {@code GetTables}: one Arrow IPC schema blob per selected table, children included.
   *
   * @param tables glob patterns, e.g. {@code List.of("*")}
   * @param skipTables glob patterns to leave out
   * @param skipDependent whether to leave out child tables of the selected ones
   */
  public List<ByteString> getTables(
      List<String> tables, List<String> skipTables, boolean skipDependent) {
    GetTables.Request request =
        GetTables.Request.newBuilder()
            .addAllTables(tables)
            .addAllSkipTables(skipTables)
            .setSkipDependentTables(skipDependent)
            .build();
    return unary("GetTables", () -> plugin(callTimeout).getTables(request)).getTablesList();
  }

  /** {@code TestConnection} with a spec (blank means {@code null}, like {@link #init}). */
  public TestConnection.Response testConnection(byte[] specJson) {
    TestConnection.Request request =
        TestConnection.Request.newBuilder()
            .setSpec(ByteString.copyFrom(specOrNull(specJson)))
            .build();
    return unary("TestConnection", () -> plugin(callTimeout).testConnection(request));
  }

  /** The {@code Close} RPC: the plugin flushes and closes its own connections. */
  public void close() {
    unary("Close", () -> plugin(callTimeout).close(Close.Request.getDefaultInstance()));
  }

  /** Starts {@code Sync} with {@link #DEFAULT_PREFETCH} messages of read-ahead. */
  public SyncStream sync(Sync.Request request) {
    return sync(request, DEFAULT_PREFETCH);
  }

  /**
   * Starts {@code Sync}; the returned stream is read by one consumer thread and cancelled with
   * {@link SyncStream#cancel(String)}.
   *
   * @param prefetch how many messages gRPC may deliver ahead of the consumer
   */
  public SyncStream sync(Sync.Request request, int prefetch) {
    SyncStream stream = new SyncStream(plugin, diagnostics, prefetch);
    asyncStub().sync(request, stream.observer());
    return stream;
  }

  /** Starts {@code Read} of one table (an Arrow schema blob), bounded by the call timeout. */
  public ReadStream read(ByteString tableSchema) {
    return read(tableSchema, callTimeout);
  }

  /** Starts {@code Read} of one table; the whole stream must finish within {@code deadline}. */
  public ReadStream read(ByteString tableSchema, Duration deadline) {
    ReadStream stream = new ReadStream(plugin, diagnostics, DEFAULT_PREFETCH);
    asyncStub()
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
        .read(Read.Request.newBuilder().setTable(tableSchema).build(), stream.observer());
    return stream;
  }

  /** Opens a {@code Write} stream with flow control; see {@link WriteStream}. */
  public WriteStream openWrite() {
    WriteStream stream = new WriteStream(plugin, diagnostics);
    asyncStub().write(stream.observer());
    return stream;
  }

  private static byte[] specOrNull(byte[] specJson) {
    if (specJson == null || new String(specJson, StandardCharsets.UTF_8).isBlank()) {
      return NULL_SPEC;
    }
    return specJson;
  }

  private <T> T unary(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw failure(e, operation);
    }
  }

  private RuntimeException failure(StatusRuntimeException e, String operation) {
    String detail = diagnostics == null ? null : diagnostics.apply(e);
    return GrpcErrors.toConnect(e, operation, plugin, detail);
  }

  private PluginGrpc.PluginBlockingStub plugin(Duration deadline) {
    return PluginGrpc.newBlockingStub(channel)
        .withMaxInboundMessageSize(maxMessageBytes)
        .withMaxOutboundMessageSize(maxMessageBytes)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private DiscoveryGrpc.DiscoveryBlockingStub discovery(Duration deadline) {
    return DiscoveryGrpc.newBlockingStub(channel)
        .withMaxInboundMessageSize(maxMessageBytes)
        .withMaxOutboundMessageSize(maxMessageBytes)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private PluginGrpc.PluginStub asyncStub() {
    return PluginGrpc.newStub(channel)
        .withMaxInboundMessageSize(maxMessageBytes)
        .withMaxOutboundMessageSize(maxMessageBytes);
  }
}
