package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cqconnect.plugin.proto.v3.Close;
import io.cqconnect.plugin.proto.v3.GetName;
import io.cqconnect.plugin.proto.v3.GetSpecSchema;
import io.cqconnect.plugin.proto.v3.GetTables;
import io.cqconnect.plugin.proto.v3.GetVersion;
import io.cqconnect.plugin.proto.v3.Init;
import io.cqconnect.plugin.proto.v3.PluginGrpc;
import io.cqconnect.plugin.proto.v3.TestConnection;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PluginClientUnaryTest {

  private InProcessPlugin plugin;

  @AfterEach
  void stop() {
    if (plugin != null) {
      plugin.close();
    }
  }

  @Test
  void shouldReturnVersionsWhenDiscoveryAnswers() {
    plugin = InProcessPlugin.start(InProcessPlugin.discovery(List.of(0, 1, 2, 3)));

    assertThat(client().getVersions()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void shouldExplainOldProtocolWhenDiscoveryIsUnimplemented() {
    plugin = InProcessPlugin.start(new PluginGrpc.PluginImplBase() {});

    assertThatThrownBy(() -> client().getVersions())
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageContaining("Plugin fake does not implement discovery v1 GetVersions")
        .hasMessageContaining("old CloudQuery protocol")
        .hasMessageContaining("needs protocol v3");
  }

  @Test
  void shouldSendNullSpecWhenSpecIsBlankAsTheCliDoes() {
    List<Init.Request> seen = new CopyOnWriteArrayList<>();
    plugin = InProcessPlugin.start(initRecorder(seen, null));
    PluginClient client = client();

    client.init(null, false);
    client.init(new byte[0], false);
    client.init(" \n".getBytes(StandardCharsets.UTF_8), true);
    client.init("{\"num_rows\":3}".getBytes(StandardCharsets.UTF_8), false, "run-1");

    assertThat(seen)
        .extracting(r -> r.getSpec().toStringUtf8())
        .containsExactly("null", "null", "null", "{\"num_rows\":3}");
    assertThat(seen)
        .extracting(Init.Request::getNoConnection)
        .containsExactly(false, false, true, false);
    assertThat(seen.get(3).getInvocationId()).isEqualTo("run-1");
  }

  @Test
  void shouldFailWithThePluginsMessageWhenInitFails() {
    plugin =
        InProcessPlugin.start(
            initRecorder(
                new CopyOnWriteArrayList<>(),
                Status.INTERNAL.withDescription("failed to init plugin: invalid spec: num_rows")));

    assertThatThrownBy(() -> client().init("{\"num_rows\":\"x\"}".getBytes(), false))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage(
            "Init on plugin fake failed: INTERNAL: failed to init plugin: invalid spec: num_rows");
  }

  @Test
  void shouldTimeOutAUnaryCallWhenThePluginHangs() {
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public void getName(GetName.Request request, StreamObserver<GetName.Response> out) {
                // Never answers, like JS memdb calls made before Init.
              }
            });
    PluginClient client =
        new PluginClient(plugin.channel, "fake", Duration.ofMillis(200), 1024 * 1024);

    assertThatThrownBy(client::name)
        .isInstanceOf(RetriableException.class)
        .hasMessageStartingWith("GetName on plugin fake failed: DEADLINE_EXCEEDED");
  }

  @Test
  void shouldReturnNameVersionTablesAndTestConnectionResults() {
    List<GetTables.Request> tablesRequests = new CopyOnWriteArrayList<>();
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public void getName(GetName.Request request, StreamObserver<GetName.Response> out) {
                out.onNext(GetName.Response.newBuilder().setName("test").build());
                out.onCompleted();
              }

              @Override
              public void getVersion(
                  GetVersion.Request request, StreamObserver<GetVersion.Response> out) {
                out.onNext(GetVersion.Response.newBuilder().setVersion("v4.2.0").build());
                out.onCompleted();
              }

              @Override
              public void getTables(
                  GetTables.Request request, StreamObserver<GetTables.Response> out) {
                tablesRequests.add(request);
                out.onNext(
                    GetTables.Response.newBuilder()
                        .addTables(ByteString.copyFromUtf8("schema-a"))
                        .addTables(ByteString.copyFromUtf8("schema-b"))
                        .build());
                out.onCompleted();
              }

              @Override
              public void testConnection(
                  TestConnection.Request request, StreamObserver<TestConnection.Response> out) {
                out.onNext(
                    TestConnection.Response.newBuilder()
                        .setSuccess(false)
                        .setFailureCode("UNKNOWN")
                        .setFailureDescription("spec was " + request.getSpec().toStringUtf8())
                        .build());
                out.onCompleted();
              }
            });
    PluginClient client = client();

    assertThat(client.name()).isEqualTo("test");
    assertThat(client.version()).isEqualTo("v4.2.0");
    assertThat(client.getTables(List.of("*"), List.of("skip_*"), true))
        .extracting(ByteString::toStringUtf8)
        .containsExactly("schema-a", "schema-b");
    assertThat(tablesRequests.get(0).getTablesList()).containsExactly("*");
    assertThat(tablesRequests.get(0).getSkipTablesList()).containsExactly("skip_*");
    assertThat(tablesRequests.get(0).getSkipDependentTables()).isTrue();
    TestConnection.Response tc = client.testConnection(null);
    assertThat(tc.getSuccess()).isFalse();
    assertThat(tc.getFailureCode()).isEqualTo("UNKNOWN");
    assertThat(tc.getFailureDescription()).isEqualTo("spec was null");
  }

  @Test
  void shouldReturnSpecSchemaOnlyWhenThePluginHasOne() {
    plugin = InProcessPlugin.start(new PluginGrpc.PluginImplBase() {});
    assertThat(client().specSchema()).isEmpty();
    stopQuietly();

    plugin = InProcessPlugin.start(specSchema(GetSpecSchema.Response.getDefaultInstance()));
    assertThat(client().specSchema()).isEmpty();
    stopQuietly();

    plugin =
        InProcessPlugin.start(
            specSchema(
                GetSpecSchema.Response.newBuilder()
                    .setJsonSchema("{\"type\":\"object\"}")
                    .build()));
    assertThat(client().specSchema()).contains("{\"type\":\"object\"}");
  }

  @Test
  void shouldCallCloseAndReportItsFailure() {
    plugin =
        InProcessPlugin.start(
            new PluginGrpc.PluginImplBase() {
              @Override
              public void close(Close.Request request, StreamObserver<Close.Response> out) {
                out.onError(Status.INTERNAL.withDescription("flush failed").asRuntimeException());
              }
            });

    assertThatThrownBy(() -> client().close())
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Close on plugin fake failed: INTERNAL: flush failed");
  }

  private PluginClient client() {
    return new PluginClient(plugin.channel, "fake");
  }

  private void stopQuietly() {
    plugin.close();
    plugin = null;
  }

  private static PluginGrpc.PluginImplBase initRecorder(List<Init.Request> seen, Status failure) {
    return new PluginGrpc.PluginImplBase() {
      @Override
      public void init(Init.Request request, StreamObserver<Init.Response> out) {
        seen.add(request);
        if (failure != null) {
          out.onError(failure.asRuntimeException());
          return;
        }
        out.onNext(Init.Response.getDefaultInstance());
        out.onCompleted();
      }
    };
  }

  private static PluginGrpc.PluginImplBase specSchema(GetSpecSchema.Response response) {
    return new PluginGrpc.PluginImplBase() {
      @Override
      public void getSpecSchema(
          GetSpecSchema.Request request, StreamObserver<GetSpecSchema.Response> out) {
        out.onNext(response);
        out.onCompleted();
      }
    };
  }
}
