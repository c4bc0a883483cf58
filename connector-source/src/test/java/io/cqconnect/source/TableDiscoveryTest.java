package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** The discovery decisions, driven one {@code runOnce} at a time with scripted plugin answers. */
class TableDiscoveryTest {

  private static final Duration INTERVAL = Duration.ofMinutes(5);

  /** Counts reconfiguration requests; optionally fails the first ones like a standalone worker. */
  static final class CountingContext implements ConnectorContext {
    int requests;
    int failuresLeft;

    @Override
    public void requestTaskReconfiguration() {
      requests++;
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new IllegalStateException("herder busy");
      }
    }

    @Override
    public void raiseError(Exception e) {
      throw new AssertionError("discovery must never fail the connector", e);
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return null;
    }
  }

  /** Plugin answers in order: a table list, or a RuntimeException to throw. */
  static final class ScriptedLister implements Supplier<List<CqTable>> {
    final Deque<Object> answers = new ArrayDeque<>();

    ScriptedLister then(Object answer) {
      answers.add(answer);
      return this;
    }

    @Override
    public List<CqTable> get() {
      Object next = answers.remove();
      if (next instanceof RuntimeException e) {
        throw e;
      }
      @SuppressWarnings("unchecked")
      List<CqTable> tables = (List<CqTable>) next;
      return tables;
    }
  }

  static CqTable table(String name, String parent) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(CqMetadata.TABLE_NAME, name);
    if (parent != null) {
      metadata.put(CqMetadata.TABLE_DEPENDS_ON, parent);
    }
    Field id = new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null);
    return CqTable.fromSchema(new Schema(List.of(id), metadata));
  }

  static List<CqTable> tables(String... names) {
    List<CqTable> tables = new ArrayList<>();
    for (String name : names) {
      tables.add(table(name, null));
    }
    return tables;
  }

  private static List<String> names(List<CqTable> tables) {
    return tables.stream().map(CqTable::name).toList();
  }

  private final DiscoveredTables discovered = new DiscoveredTables("src");
  private final CountingContext context = new CountingContext();
  private final ScriptedLister plugin = new ScriptedLister();

  private TableDiscovery discovery(Duration interval) {
    return new TableDiscovery(
        "conn",
        "src",
        plugin,
        discovered,
        context,
        interval,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60));
  }

  @Test
  void shouldNotRequestReconfigurationWhenFirstDiscoveryEndsBeforeTaskConfigs() {
    plugin.then(tables("a", "b"));

    Optional<Duration> next = discovery(INTERVAL).runOnce();

    assertThat(next).contains(INTERVAL);
    assertThat(context.requests).isZero();
    assertThat(names(discovered.forTaskConfigs())).containsExactly("a", "b");
  }

  @Test
  void shouldRequestReconfigurationWhenTaskConfigsWasRefusedBeforeFirstDiscovery() {
    plugin.then(tables("a", "b"));
    assertThatThrownBy(discovered::forTaskConfigs)
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("Source 'src': the plugin's tables are not discovered yet");

    discovery(INTERVAL).runOnce();

    assertThat(context.requests).isEqualTo(1);
    assertThat(names(discovered.forTaskConfigs())).containsExactly("a", "b");
  }

  @Test
  void shouldRequestReconfigurationOnlyWhenTheTableSetChanges() {
    plugin
        .then(tables("a", "b"))
        .then(tables("b", "a"))
        .then(tables("a", "b", "c"))
        .then(tables("a", "b", "c"))
        .then(tables("a", "c"));
    TableDiscovery discovery = discovery(INTERVAL);
    discovery.runOnce();
    discovered.forTaskConfigs();

    discovery.runOnce();
    assertThat(context.requests).as("same tables in another order").isZero();
    assertThat(names(discovered.forTaskConfigs())).containsExactly("a", "b");

    discovery.runOnce();
    assertThat(context.requests).as("c appeared").isEqualTo(1);
    assertThat(names(discovered.forTaskConfigs())).containsExactly("a", "b", "c");

    discovery.runOnce();
    assertThat(context.requests).as("unchanged after taskConfigs took c").isEqualTo(1);

    discovery.runOnce();
    assertThat(context.requests).as("b is gone").isEqualTo(2);
    assertThat(names(discovered.forTaskConfigs())).containsExactly("a", "c");
  }

  @Test
  void shouldRequestReconfigurationWhenAChildTableAppears() {
    plugin.then(tables("a")).then(List.of(table("a", null), table("a_child", "a")));
    TableDiscovery discovery = discovery(INTERVAL);
    discovery.runOnce();
    discovered.forTaskConfigs();

    discovery.runOnce();

    assertThat(context.requests).isEqualTo(1);
    assertThat(TableAssigner.assign(discovered.forTaskConfigs(), 3))
        .containsExactly(List.of("a", "a_child"));
  }

  @Test
  void shouldAskAgainAfterTheNextDiscoveryWhileTaskConfigsHasNotTakenTheChange() {
    plugin.then(tables("a")).then(tables("a", "b")).then(tables("a", "b"));
    context.failuresLeft = 1;
    TableDiscovery discovery = discovery(INTERVAL);
    discovery.runOnce();
    discovered.forTaskConfigs();

    discovery.runOnce();
    assertThat(context.requests).as("first request failed").isEqualTo(1);
    discovery.runOnce();

    assertThat(context.requests).isEqualTo(2);
  }

  @Test
  void shouldKeepTheLastTablesAndBackOffWhenDiscoveryFails() {
    plugin
        .then(tables("a"))
        .then(new ConnectException("GetTables failed: UNAVAILABLE: plugin crashed"))
        .then(new ConnectException("GetTables failed: UNAVAILABLE: plugin crashed"))
        .then(new ConnectException("GetTables failed: UNAVAILABLE: plugin crashed"))
        .then(tables("a"));
    TableDiscovery discovery = discovery(INTERVAL);
    discovery.runOnce();
    discovered.forTaskConfigs();

    List<Optional<Duration>> waits =
        List.of(discovery.runOnce(), discovery.runOnce(), discovery.runOnce());

    assertThat(waits)
        .containsExactly(
            Optional.of(Duration.ofSeconds(1)),
            Optional.of(Duration.ofSeconds(2)),
            Optional.of(Duration.ofSeconds(4)));
    assertThat(names(discovered.forTaskConfigs())).containsExactly("a");
    assertThat(discovery.runOnce()).as("backoff reset by a success").contains(INTERVAL);
    assertThat(context.requests).isZero();
  }

  @Test
  void shouldCapTheBackoffAtTheIntervalWhenTheIntervalIsShorter() {
    for (int i = 0; i < 4; i++) {
      plugin.then(new ConnectException("no"));
    }
    TableDiscovery discovery = discovery(Duration.ofSeconds(3));

    List<Optional<Duration>> waits =
        List.of(discovery.runOnce(), discovery.runOnce(), discovery.runOnce(), discovery.runOnce());

    assertThat(waits)
        .containsExactly(
            Optional.of(Duration.ofSeconds(1)),
            Optional.of(Duration.ofSeconds(2)),
            Optional.of(Duration.ofSeconds(3)),
            Optional.of(Duration.ofSeconds(3)));
  }

  @Test
  void shouldNameThePluginErrorWhenTaskConfigsAsksBeforeAnyDiscoverySucceeded() {
    plugin.then(new ConnectException("Init failed: INVALID_ARGUMENT: bad spec field 'tablez'"));

    discovery(INTERVAL).runOnce();

    assertThatThrownBy(discovered::forTaskConfigs)
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("not discovered yet")
        .hasMessageContaining(
            "Last discovery error (fix the plugin or its spec): Init failed: INVALID_ARGUMENT:"
                + " bad spec field 'tablez'");
  }

  @Test
  void shouldStopAfterTheFirstSuccessWhenTheIntervalIsZero() {
    plugin.then(new ConnectException("not yet")).then(tables("a"));
    TableDiscovery discovery = discovery(Duration.ZERO);

    assertThat(discovery.runOnce()).as("a failure is retried").contains(Duration.ofSeconds(1));
    assertThat(discovery.runOnce()).as("no discovery after the first success").isEmpty();
  }
}
