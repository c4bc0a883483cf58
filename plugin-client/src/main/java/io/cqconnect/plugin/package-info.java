/**
 * Client side of the CloudQuery plugin protocol v3: typed gRPC calls ({@link
 * io.cqconnect.plugin.PluginClient}) with flow-controlled streams, local plugin processes ({@link
 * io.cqconnect.plugin.PluginProcess}), and the connection that owns both ({@link
 * io.cqconnect.plugin.PluginConnection}); gRPC failures become Connect exceptions in one place
 * ({@link io.cqconnect.plugin.GrpcErrors}).
 */
package io.cqconnect.plugin;
