package io.cqconnect.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives an IT class its embedded Connect cluster ({@link ConnectHarness}): one cluster per JVM and
 * configuration, shared by every class that asks for the same one and stopped when the JUnit run
 * ends (failsafe runs each class on its own, so there every class gets a cluster: see
 * integration-tests/README.md), or a dedicated one for a class that changes the cluster itself.
 * After each test it deletes every connector and waits until their plugin processes are gone, so
 * tests stay independent on a shared cluster.
 *
 * <p>The shared one-worker cluster: annotate the class
 * {@code @ExtendWith(ConnectClusterExtension.class)} and take a {@link ConnectHarness} (or the
 * {@link EmbeddedConnectCluster}) as a parameter of the test method, or of the constructor when the
 * class's helpers need it too: {@code void shouldX(ConnectHarness harness)}. Another configuration:
 * register {@code ConnectClusterExtension.builder()...build()} in a static field annotated
 * {@code @RegisterExtension} instead; the parameters work the same.
 */
final class ConnectClusterExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ConnectClusterExtension.class);

  private final int workers;
  private final Map<String, String> workerProps;
  private final boolean dedicated;
  private Cluster cluster;

  /**
   * The shared one-worker cluster: what {@code @ExtendWith(ConnectClusterExtension.class)} gets.
   */
  ConnectClusterExtension() {
    this(builder());
  }

  private ConnectClusterExtension(Builder builder) {
    this.workers = builder.workers;
    this.workerProps = new TreeMap<>(builder.workerProps);
    this.dedicated = builder.dedicated;
  }

  /** One worker with {@link ConnectHarness}'s defaults, shared with every class asking the same. */
  static ConnectClusterExtension shared() {
    return builder().build();
  }

  static Builder builder() {
    return new Builder();
  }

  /**
   * The cluster of the current class, for code that cannot take it as a parameter; available from
   * {@code @BeforeAll} methods on.
   */
  ConnectHarness harness() {
    if (cluster == null) {
      throw new IllegalStateException(
          "No Connect cluster yet: register ConnectClusterExtension in a static field annotated"
              + " @RegisterExtension, and use it from @BeforeAll or later");
    }
    return cluster.harness;
  }

  EmbeddedConnectCluster cluster() {
    return harness().cluster();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = cluster(context);
  }

  /**
   * The class's cluster, started on first use: a shared one lives in the root store (closed when
   * the JVM's test run ends), a dedicated one in the class's store (closed after the class).
   */
  private Cluster cluster(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().orElseThrow();
    }
    String name = "connect-" + classContext.getRequiredTestClass().getSimpleName();
    if (dedicated) {
      return classContext
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              "dedicated",
              k -> new Cluster(ConnectHarness.start(name, workers, workerProps)),
              Cluster.class);
    }
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "shared " + workers + " " + workerProps,
            k -> new Cluster(ConnectHarness.start("shared-" + name, workers, workerProps)),
            Cluster.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ConnectHarness.class || type == EmbeddedConnectCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ConnectHarness harness = cluster(context).harness;
    return parameter.getParameter().getType() == ConnectHarness.class ? harness : harness.cluster();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put("processes before", ChildProcesses.pids());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    @SuppressWarnings("unchecked")
    Set<Long> before = context.getStore(NAMESPACE).get("processes before", Set.class);
    cluster(context).clean(context.getRequiredTestClass().getName(), before);
  }

  /** A started cluster and the class that first used each connector name on it. */
  private static final class Cluster implements AutoCloseable {

    private final ConnectHarness harness;
    private final Map<String, String> ownerOfName = new ConcurrentHashMap<>();

    Cluster(ConnectHarness harness) {
      this.harness = harness;
    }

    /**
     * Deletes every connector and waits until the plugin processes they started have exited. A
     * connector name another class already used fails the test: its offsets and topics are still on
     * the shared cluster and would leak into this one.
     */
    void clean(String testClass, Set<Long> processesBefore) {
      EmbeddedConnectCluster connect = harness.cluster();
      if (connect.healthyWorkers().isEmpty()) {
        // A test that removed the only worker and failed before adding it back.
        connect.addWorker();
      }
      List<String> reused = new ArrayList<>();
      for (String connector : connect.connectors()) {
        String owner = ownerOfName.putIfAbsent(connector, testClass);
        if (owner != null && !owner.equals(testClass)) {
          reused.add(connector + " (first used by " + owner + ")");
        }
        connect.deleteConnector(connector);
      }
      ChildProcesses.awaitExitOfAllBut(processesBefore);
      if (!reused.isEmpty()) {
        throw new AssertionError(
            testClass
                + " used connector names another class already used on the shared Connect"
                + " cluster, so it may have seen that class's offsets and topics: "
                + reused.stream().collect(Collectors.joining(", "))
                + ". Give the connectors names of their own.");
      }
    }

    @Override
    public void close() {
      harness.close();
    }
  }

  /** Options of the cluster a class needs; equal options share one cluster. */
  static final class Builder {
    private int workers = 1;
    private final Map<String, String> workerProps = new TreeMap<>();
    private boolean dedicated;

    private Builder() {}

    Builder workers(int count) {
      this.workers = count;
      return this;
    }

    /** A worker property on top of {@link ConnectHarness}'s defaults. */
    Builder workerProp(String key, String value) {
      workerProps.put(key, value);
      return this;
    }

    /** Workers with {@code exactly.once.source.support=enabled}. */
    Builder exactlyOnce() {
      return workerProp("exactly.once.source.support", "enabled");
    }

    /** How often workers commit source offsets and sink consumer offsets. */
    Builder offsetFlushIntervalMs(long millis) {
      return workerProp("offset.flush.interval.ms", Long.toString(millis));
    }

    /**
     * A cluster of the class's own, stopped after it: for classes that remove workers or otherwise
     * leave the cluster different from how they found it.
     */
    Builder dedicated() {
      this.dedicated = true;
      return this;
    }

    ConnectClusterExtension build() {
      return new ConnectClusterExtension(this);
    }
  }
}
