package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcErrorsTest {

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "ABORTED"})
  void shouldMapTransientCodesToRetriableException(Status.Code code) {
    RuntimeException e =
        GrpcErrors.toConnect(
            Status.fromCode(code).withDescription("went away").asRuntimeException(),
            "Sync",
            "cq-source-test (127.0.0.1:1)");

    assertThat(e).isInstanceOf(RetriableException.class);
    assertThat(e.getMessage())
        .isEqualTo("Sync on plugin cq-source-test (127.0.0.1:1) failed: " + code + ": went away");
    assertThat(GrpcErrors.isRetriable(e)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "INVALID_ARGUMENT",
        "FAILED_PRECONDITION",
        "UNAUTHENTICATED",
        "PERMISSION_DENIED",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNKNOWN",
        "NOT_FOUND",
        "CANCELLED"
      })
  void shouldMapPermanentCodesToConnectException(Status.Code code) {
    RuntimeException e =
        GrpcErrors.toConnect(
            Status.fromCode(code)
                .withDescription("failed to init plugin: bad")
                .asRuntimeException(),
            "Init",
            "test");

    assertThat(e).isExactlyInstanceOf(ConnectException.class);
    assertThat(e.getMessage())
        .startsWith("Init on plugin test failed: " + code + ": failed to init plugin: bad");
    assertThat(GrpcErrors.isRetriable(e)).isFalse();
  }

  @Test
  void shouldNameTheOperationWithTheContractOverload() {
    RuntimeException e =
        GrpcErrors.toConnect(
            new StatusRuntimeException(Status.UNAVAILABLE.withDescription("io exception")),
            "GetTables of plugin 'test'");

    assertThat(e).isInstanceOf(RetriableException.class);
    assertThat(e.getMessage())
        .isEqualTo("GetTables of plugin 'test' failed: UNAVAILABLE: io exception");
  }

  @Test
  void shouldNotRetryWhenAMessageExceedsTheSizeLimit() {
    StatusRuntimeException tooLarge =
        Status.RESOURCE_EXHAUSTED
            .withDescription("gRPC message exceeds maximum size 1048576: 10485771")
            .asRuntimeException();

    RuntimeException e = GrpcErrors.toConnect(tooLarge, "Sync", "test");

    assertThat(e).isExactlyInstanceOf(ConnectException.class);
    assertThat(e.getMessage())
        .contains("RESOURCE_EXHAUSTED: gRPC message exceeds maximum size 1048576")
        .contains("grpc.max.message.bytes");
    assertThat(GrpcErrors.isRetriable(tooLarge)).isFalse();
  }

  @Test
  void shouldAppendDetailAndKeepTheExceptionKind() {
    RuntimeException e =
        GrpcErrors.toConnect(
            Status.UNAVAILABLE.withDescription("Network closed").asRuntimeException(),
            "Sync",
            "test",
            "the plugin process exited with code 2");

    assertThat(e).isInstanceOf(RetriableException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "Sync on plugin test failed: UNAVAILABLE: Network closed;"
                + " the plugin process exited with code 2");
  }

  @Test
  void shouldPassConnectExceptionsThroughAndWrapOthers() {
    DataException data = new DataException("bad arrow");
    assertThat(GrpcErrors.toConnect(data, "Sync", "test")).isSameAs(data);

    RuntimeException wrapped =
        GrpcErrors.toConnect(new IllegalStateException("boom"), "Write", "sqlite");
    assertThat(wrapped).isExactlyInstanceOf(ConnectException.class);
    assertThat(wrapped.getMessage())
        .isEqualTo("Write on plugin sqlite failed: java.lang.IllegalStateException: boom");
  }

  @Test
  void shouldFindRetriableStatusInACauseChain() {
    Exception nested =
        new IllegalStateException(
            "outer", new RuntimeException(Status.ABORTED.asRuntimeException()));

    assertThat(GrpcErrors.isRetriable(nested)).isTrue();
    assertThat(GrpcErrors.statusOf(nested).getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(GrpcErrors.isRetriable(new IllegalStateException("no status"))).isFalse();
    assertThat(GrpcErrors.statusOf(new IllegalStateException("no status"))).isNull();
  }

  @Test
  void shouldEscapeAndCapThePluginsDescriptionInMessageAndCause() {
    String forged =
        "bad spec\n[2026-12-02] INFO forged line " + "z".repeat(PluginText.MAX_ERROR_CHARS);
    StatusRuntimeException original = Status.INTERNAL.withDescription(forged).asRuntimeException();

    RuntimeException e = GrpcErrors.toConnect(original, "Init", "cq-source-test (unix)");

    assertThat(e.getMessage())
        .startsWith(
            "Init on plugin cq-source-test (unix) failed: INTERNAL: bad spec\\n[2026-12-02]")
        .doesNotContain("\n")
        .endsWith("more characters cut)");
    assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
    assertThat(e.getCause().getMessage()).doesNotContain("\n").endsWith("more characters cut)");
    assertThat(e.getCause().getStackTrace()).isEqualTo(original.getStackTrace());
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "UNIMPLEMENTED"})
  void shouldCallRefusalsPermanentAndSayWhatToCheck(Status.Code code) {
    RuntimeException e =
        GrpcErrors.toConnect(Status.fromCode(code).asRuntimeException(), "Sync", "test");

    assertThat(GrpcErrors.isPermanent(e)).isTrue();
    assertThat(e.getMessage())
        .startsWith("Sync on plugin test failed: " + code + " (")
        .contains("check");
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "INTERNAL",
        "UNKNOWN",
        "FAILED_PRECONDITION",
        "NOT_FOUND",
        "UNAVAILABLE",
        "DEADLINE_EXCEEDED",
        "ABORTED",
        "RESOURCE_EXHAUSTED"
      })
  void shouldNotCallPluginErrorsOrTransientFailuresPermanent(Status.Code code) {
    RuntimeException e =
        GrpcErrors.toConnect(
            Status.fromCode(code).withDescription("flaky").asRuntimeException(), "Init", "test");

    assertThat(GrpcErrors.isPermanent(e)).isFalse();
  }

  @Test
  void shouldCallAnOverSizeMessagePermanentButNotAFailureWithoutStatus() {
    StatusRuntimeException tooLarge =
        Status.RESOURCE_EXHAUSTED
            .withDescription("grpc: received message larger than max (300 vs. 200)")
            .asRuntimeException();

    assertThat(GrpcErrors.isPermanent(tooLarge)).isTrue();
    assertThat(GrpcErrors.isPermanent(new IllegalStateException("process exited"))).isFalse();
  }
}
