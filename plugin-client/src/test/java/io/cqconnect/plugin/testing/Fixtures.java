package io.cqconnect.plugin.testing;

import io.cqconnect.plugin.PluginConnection;
import io.cqconnect.plugin.PluginLaunchSpec;
import io.cqconnect.plugin.PluginNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Paths and launch helpers for the real fixture plugins that {@code fixtures/build.sh} builds into
 * {@code fixtures/bin}; a missing binary fails the test with a message saying how to build it.
 */
public final class Fixtures {

  /** CloudQuery's Go {@code test} source plugin. */
  public static final String SOURCE_TEST = "cq-source-test";

  /**
   * The tables of {@link #SOURCE_TEST} every test skips: {@code test_paid_table} is a paid table,
   * whose sync asks CloudQuery's usage API and fails without a CloudQuery login.
   */
  public static final List<String> SOURCE_TEST_SKIP = List.of("test_paid_table");

  /** CloudQuery's Go {@code test} destination: accepts every write and keeps nothing. */
  public static final String DEST_TEST = "cq-dest-test";

  /** Our Go incremental source on plugin-sdk/v4 with the real state client. */
  public static final String SOURCE_INCREMENTAL = "cq-source-incremental";

  /** CloudQuery's Go PostgreSQL destination plugin. */
  public static final String DEST_POSTGRESQL = "cq-dest-postgresql";

  /** CloudQuery's Go SQLite destination plugin. */
  public static final String DEST_SQLITE = "cq-dest-sqlite";

  /** The JS SDK memdb plugin (TCP only; rejects a {@code null} spec). */
  public static final String JS_MEMDB = "cq-js-memdb";

  /**
   * The Python SDK's memdb plugin (source and in-memory destination). TCP only: the SDK hands
   * {@code --address} to gRPC as is, and a bare socket path does not bind.
   */
  public static final String PY_MEMDB = "cq-py-memdb";

  /**
   * The Python SDK's state client as a command ({@code --connection ADDR --table NAME get KEY | set
   * KEY VALUE}); not a plugin.
   */
  public static final String PY_STATE_CLIENT = "cq-py-state-client";

  /** All fixture plugin names. */
  public static final List<String> ALL =
      List.of(
          SOURCE_TEST,
          SOURCE_INCREMENTAL,
          DEST_POSTGRESQL,
          DEST_SQLITE,
          DEST_TEST,
          JS_MEMDB,
          PY_MEMDB);

  private Fixtures() {}

  /** The tables a test skips when it syncs every table of {@code plugin} ({@code tables=*}). */
  public static List<String> skipTablesOf(String plugin) {
    return SOURCE_TEST.equals(plugin) ? SOURCE_TEST_SKIP : List.of();
  }

  /** The fixtures directory: the system property {@code cq.fixtures.dir} (set by the build). */
  public static Path dir() {
    String dir = System.getProperty("cq.fixtures.dir");
    if (dir == null || dir.isBlank()) {
      throw new AssertionError(
          "system property cq.fixtures.dir is not set: run the tests through Maven, or pass"
              + " -Dcq.fixtures.dir=<repo>/fixtures");
    }
    return Paths.get(dir);
  }

  /** The fixture binary {@code <cq.fixtures.dir>/bin/<name>}; fails if it is missing. */
  public static Path binary(String name) {
    Path p = dir().resolve("bin").resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new AssertionError(
          "fixture " + name + " missing: run fixtures/build.sh (looked for " + p + ")");
    }
    if (!Files.isExecutable(p)) {
      throw new AssertionError("fixture " + p + " is not executable: run fixtures/build.sh");
    }
    return p;
  }

  /** True if the fixture is built with the Go SDK (all but the JS and Python ones). */
  public static boolean isGo(String name) {
    return !JS_MEMDB.equals(name) && !PY_MEMDB.equals(name) && !PY_STATE_CLIENT.equals(name);
  }

  /** The extra serve arguments the fixture needs: {@code --no-sentry} for Go plugins. */
  public static List<String> extraArgs(String name) {
    return isGo(name) ? List.of("--no-sentry") : List.of();
  }

  /** A launch spec for the fixture with the right extra arguments; callers may adjust it. */
  public static PluginLaunchSpec.Builder spec(String name, PluginNetwork network) {
    return PluginLaunchSpec.builder(binary(name))
        .name(name)
        .network(network)
        .extraArgs(extraArgs(name));
  }

  /**
   * Launches the fixture on a free loopback port ({@code "tcp"}), a fresh unix socket ({@code
   * "unix"}, Go) or the same socket as gRPC's {@code unix:} address ({@code "grpc-unix"}, JS and
   * Python) and waits until it is ready. The caller closes the connection.
   */
  public static PluginConnection start(String name, String network) {
    return PluginConnection.launch(spec(name, PluginNetwork.parse(network)).build());
  }
}
