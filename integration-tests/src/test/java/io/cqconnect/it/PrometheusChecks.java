package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cqconnect.distribution.testing.LocalKafka;
import io.cqconnect.plugin.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The metrics as Prometheus sees them: a real Connect worker process started with the JMX
 * exporter's Java agent and docker/prometheus/jmx-exporter.yml (as the image starts it), running a
 * source over CloudQuery's test plugin, a source over our incremental plugin (cursors and the state
 * table mirror) and a sink over the SQLite destination. The agent's HTTP endpoint must carry every
 * metric of docs/metrics.md under the documented name with its connector, task and table labels;
 * its row counters must equal what is in Kafka and grow with it; every metric the Grafana dashboard
 * and the alert rules use must be scraped; and, where Debian's {@code prometheus} is installed, a
 * real Prometheus scraping the agent must answer every panel's query and evaluate the alert rules.
 *
 * <p>With {@code -Dcq.dashboard.screenshot=<png>} the last test also waits {@code
 * cq.dashboard.wait.s} (180) seconds more and renders the dashboard (docker/grafana/render/
 * render.html in headless Chromium against that Prometheus) to the file: render.sh.
 *
 * <p>Run by {@link WorkerProcessIT} on its shared {@link ImageWorker}; connectors {@code prom-*},
 * topics {@code prom-*.*}. The worker runs the other groups' connectors too: every value asserted
 * here is a sample labelled with one of this group's connectors, and the checks of names, panel
 * queries and alert rules hold whatever else the worker runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PrometheusChecks {

  private static final String SOURCE = "prom-src";
  private static final String INCREMENTAL = "prom-incr";
  private static final String SINK = "prom-sink";
  private static final String SOME_TABLE = "test_some_table";
  private static final Map<String, List<String>> TABLES =
      Map.of(
          SOURCE,
          List.of(SOME_TABLE, "test_sub_table", "test_testdata_table"),
          INCREMENTAL,
          List.of("incr_events_0", "full_items"),
          SINK,
          List.of(SOME_TABLE));
  private static final long SYNC_INTERVAL_MS = 4000;

  private final ImageWorker worker;
  private Path work;

  PrometheusChecks(ImageWorker worker) {
    this.worker = worker;
  }

  @BeforeAll
  void startConnectors() throws Exception {
    work = worker.dir("prometheus");
    Map<String, String> source =
        SourceConnectors.forFixture(
            SOURCE, Fixtures.SOURCE_TEST, "{\"num_clients\":2,\"num_rows\":3}");
    source.put("sync.interval.ms", Long.toString(SYNC_INTERVAL_MS));
    worker.putConnector(SOURCE, ImageWorker.withSchemas(source));
    Map<String, String> incremental =
        IncrementalFaults.source(
            INCREMENTAL, "{\"rows_per_sync\":20,\"full_rows\":3}", SYNC_INTERVAL_MS);
    incremental.put("state.mirror.jdbc.url", "jdbc:sqlite:" + work.resolve("state.db"));
    worker.putConnector(INCREMENTAL, incremental);
    worker.putConnector(
        SINK,
        ImageWorker.withSchemas(
            SinkConnectors.forFixture(
                Fixtures.DEST_SQLITE,
                "{\"connection_string\":\"" + work.resolve("dest.db") + "\"}",
                SOURCE + "." + SOME_TABLE,
                "overwrite")));
  }

  private MetricsScrape scrape() throws Exception {
    return MetricsScrape.fetch("http://" + worker.agentTarget() + "/metrics");
  }

  private static Map<String, String> labels(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** Waits until each connector has completed {@code syncs} syncs and the sink has written. */
  private MetricsScrape awaitSyncs(int syncs) {
    return await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            this::scrape,
            s ->
                s.value(
                            "kafka_connect_cloudquery_source_task_syncs_completed_total",
                            labels("connector", SOURCE))
                        >= syncs
                    && s.value(
                            "kafka_connect_cloudquery_source_task_syncs_completed_total",
                            labels("connector", INCREMENTAL))
                        >= syncs
                    && s.value(
                            "kafka_connect_cloudquery_sink_task_flushes_total",
                            labels("connector", SINK))
                        > 0);
  }

  @Test
  void shouldScrapeEveryDocumentedMetricWithItsLabelsWhenTheWorkerRunsTheAgent() throws Exception {
    MetricsScrape scrape = awaitSyncs(1);
    List<DocumentedMetric> documented = DocumentedMetric.read();
    assertThat(documented).hasSizeGreaterThan(30);
    List<String> problems = new ArrayList<>();
    for (DocumentedMetric m : documented) {
      String name = m.prometheusName();
      for (String connector : m.sink() ? List.of(SINK) : List.of(SOURCE, INCREMENTAL)) {
        List<String> tables = m.tags().contains("table") ? TABLES.get(connector) : List.of("");
        for (String table : tables) {
          Map<String, String> expected = labels("connector", connector, "task", "0");
          if (!table.isEmpty()) {
            expected.put("table", table);
          }
          boolean found = scrape.samples(name).stream().anyMatch(s -> s.labels().equals(expected));
          if (!found) {
            problems.add(name + expected + " missing; samples: " + scrape.samples(name));
          }
        }
      }
      String type = m.attribute().endsWith("-total") ? "counter" : "gauge";
      if (!type.equals(scrape.type(name))) {
        problems.add(name + ": # TYPE " + scrape.type(name) + ", expected " + type);
      }
      String help = scrape.help(name);
      if (help == null || !help.startsWith(m.description())) {
        problems.add(name + ": # HELP '" + help + "' does not start with the documented text");
      }
    }
    assertThat(problems)
        .as("docs/metrics.md metrics as scraped from the agent (worker log " + worker.log() + ")")
        .isEmpty();
  }

  @Test
  void shouldMoveRowCountersWithTheRowsInKafkaWhenSyncsRepeat() throws Exception {
    Map<String, Double> first = quiescentRowCounts();
    double syncs = syncsCompleted(scrape(), SOURCE);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> syncsCompleted(scrape(), SOURCE) >= syncs + 2);
    Map<String, Double> second = quiescentRowCounts();
    for (String topic : first.keySet()) {
      assertThat(second.get(topic))
          .as(topic + " rows after two more syncs")
          .isGreaterThan(first.get(topic));
    }
    // The sink writes what the source produced to prom-src.test_some_table.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              MetricsScrape s = scrape();
              assertThat(
                      s.value(
                          "kafka_connect_cloudquery_sink_table_rows_written_total",
                          labels("connector", SINK, "table", SOME_TABLE)))
                  .isEqualTo(
                      s.value(
                          "kafka_connect_cloudquery_source_table_rows_total",
                          labels("connector", SOURCE, "table", SOME_TABLE)));
            });
    MetricsScrape s = scrape();
    assertThat(
            s.value(
                "kafka_connect_cloudquery_source_task_state_keys_committed_total",
                labels("connector", INCREMENTAL)))
        .as("cursor keys committed by the incremental source")
        .isGreaterThanOrEqualTo(2);
    assertThat(
            s.value(
                "kafka_connect_cloudquery_source_task_last_successful_sync_time",
                labels("connector", SOURCE)))
        .isGreaterThan(System.currentTimeMillis() - 60_000d);
    assertThat(s.value("kafka_connect_connector_task_status", labels("connector", SINK)))
        .as("Connect's task status, running")
        .isEqualTo(1);
    assertThat(s.samples("kafka_connect_connector_task_status"))
        .filteredOn(x -> x.labels().get("connector").equals(SINK))
        .extracting(x -> x.labels().get("status"))
        .containsExactly("running");
  }

  private static double syncsCompleted(MetricsScrape s, String connector) {
    return s.value(
        "kafka_connect_cloudquery_source_task_syncs_completed_total",
        labels("connector", connector));
  }

  /**
   * Source rows_total per topic at a moment without a sync in flight, asserted equal to the rows in
   * the topic: two scrapes around the topic read show the same completed syncs and row totals, an
   * empty queue and nothing unacknowledged, so every decoded row is in Kafka and no other.
   */
  private Map<String, Double> quiescentRowCounts() {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              MetricsScrape before = scrape();
              Map<String, Double> rows = new TreeMap<>();
              for (String connector : List.of(SOURCE, INCREMENTAL)) {
                for (String table : TABLES.get(connector)) {
                  rows.put(
                      connector + "." + table,
                      before.value(
                          "kafka_connect_cloudquery_source_table_rows_total",
                          labels("connector", connector, "table", table)));
                }
              }
              Map<String, Integer> topics = worker.rowCounts(rows.keySet());
              MetricsScrape after = scrape();
              for (String connector : List.of(SOURCE, INCREMENTAL)) {
                Map<String, String> task = labels("connector", connector);
                for (String gauge : List.of("queue_size", "records_unacknowledged")) {
                  if (before.value("kafka_connect_cloudquery_source_task_" + gauge, task) != 0) {
                    return null;
                  }
                }
                if (syncsCompleted(before, connector) != syncsCompleted(after, connector)) {
                  return null;
                }
              }
              for (Map.Entry<String, Double> e : rows.entrySet()) {
                String[] ct = e.getKey().split("\\.", 2);
                double now =
                    after.value(
                        "kafka_connect_cloudquery_source_table_rows_total",
                        labels("connector", ct[0], "table", ct[1]));
                if (now != e.getValue()) {
                  return null;
                }
              }
              Map<String, Double> inKafka = new TreeMap<>();
              topics.forEach((t, n) -> inKafka.put(t, n.doubleValue()));
              assertThat(rows)
                  .as("source rows_total per table = rows in its topic")
                  .isEqualTo(inKafka);
              return rows;
            },
            r -> r != null);
  }

  @Test
  void shouldScrapeEveryMetricTheDashboardAndTheAlertRulesUseWhenTheWorkerRuns() throws Exception {
    awaitSyncs(1);
    Set<String> scraped = scrape().names();
    Map<String, Set<String>> used = new TreeMap<>();
    for (Map.Entry<String, String> q : dashboardQueries().entrySet()) {
      used.put("panel " + q.getKey(), PromQlNames.of(q.getValue()));
    }
    for (Map.Entry<String, String> q : alertExpressions().entrySet()) {
      used.put("alert " + q.getKey(), PromQlNames.of(q.getValue()));
    }
    assertThat(used).hasSizeGreaterThan(15);
    List<String> missing = new ArrayList<>();
    used.forEach(
        (where, names) -> {
          assertThat(names).as(where + " selects some metric").isNotEmpty();
          names.stream()
              .filter(n -> !scraped.contains(n))
              .forEach(n -> missing.add(where + ": " + n));
        });
    assertThat(missing).as("metric names not scraped from the agent").isEmpty();
  }

  @Test
  void shouldAnswerEveryPanelQueryAndEvaluateTheAlertRulesWhenPrometheusScrapesTheAgent()
      throws Exception {
    Optional<Path> binary = LocalPrometheus.binary();
    Assumptions.assumeTrue(
        binary.isPresent(),
        "no prometheus binary on PATH (apt-get install prometheus): the panel queries were only"
            + " checked against the scraped names");
    awaitSyncs(1);
    Path dir = Files.createDirectories(work.resolve("server"));
    Path rules = LocalKafka.repoDir().resolve("docker/prometheus/alerts.yml");
    try (LocalPrometheus prometheus =
        LocalPrometheus.start(binary.get(), dir, worker.agentTarget(), rules)) {
      Map<String, String> queries = dashboardQueries();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                List<String> empty = new ArrayList<>();
                for (Map.Entry<String, String> q : queries.entrySet()) {
                  String expr =
                      q.getValue().replace("$__rate_interval", "30s").replace("$connector", ".*");
                  if (prometheus.query(expr).isEmpty()) {
                    empty.add(q.getKey() + ": " + expr);
                  }
                }
                assertThat(empty).as("panel queries without data").isEmpty();
                List<JsonNode> evaluated = prometheus.rules();
                assertThat(evaluated).hasSize(alertExpressions().size());
                assertThat(evaluated)
                    .allSatisfy(
                        r ->
                            assertThat(r.path("health").asText())
                                .as(r.path("name").asText() + ": " + r.path("lastError"))
                                .isEqualTo("ok"));
              });
      String screenshot = System.getProperty("cq.dashboard.screenshot", "");
      if (!screenshot.isBlank()) {
        // More syncs first, so that the panels show a few minutes of history.
        Thread.sleep(Duration.ofSeconds(Long.getLong("cq.dashboard.wait.s", 180)).toMillis());
        DashboardRender.screenshot(prometheus.url(), Path.of(screenshot), work);
      }
    }
  }

  /** Every panel target's expression, keyed "panel title / refId". */
  static Map<String, String> dashboardQueries() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                LocalKafka.repoDir().resolve("docker/grafana/cq-connect-dashboard.json").toFile());
    Map<String, String> queries = new TreeMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.put(
            panel.path("title").asText() + " / " + target.path("refId").asText(),
            target.path("expr").asText());
      }
    }
    return queries;
  }

  /** Every alert rule's expression, keyed by alert name. */
  static Map<String, String> alertExpressions() throws Exception {
    JsonNode rules =
        new ObjectMapper(new YAMLFactory())
            .readTree(LocalKafka.repoDir().resolve("docker/prometheus/alerts.yml").toFile());
    Map<String, String> exprs = new TreeMap<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        exprs.put(rule.path("alert").asText(), rule.path("expr").asText());
      }
    }
    return exprs;
  }
}
