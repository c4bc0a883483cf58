package io.cqconnect.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus and Grafana files: the image's agent flag, the compose services, the scrape target
 * and the Grafana provisioning agree with each other, and promtool (Debian's prometheus package)
 * accepts the configuration and the alert rules and passes the rules' unit tests. What the agent
 * really exports is checked by WorkerProcessIT's Prometheus group (integration-tests).
 */
class PrometheusFilesTest {

  private static final Path DOCKER = Path.of(System.getProperty("cq.repo.dir")).resolve("docker");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern AGENT =
      Pattern.compile("-javaagent:(/\\S+/jmx_prometheus_javaagent\\.jar)=(\\d+):(/\\S+\\.yml)");

  private static Matcher agentFlag() throws Exception {
    Matcher m = AGENT.matcher(Files.readString(DOCKER.resolve("Dockerfile")));
    assertThat(m.find()).as("the Dockerfile's -javaagent flag").isTrue();
    return m;
  }

  @Test
  void shouldStartTheAgentFromTheCopiedJarAndConfigWhenTheImageRuns() throws Exception {
    Matcher agent = agentFlag();
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("COPY target/jmx-exporter/ " + Path.of(agent.group(1)).getParent() + "/")
        .contains("COPY prometheus/jmx-exporter.yml " + agent.group(3))
        .contains("EXPOSE " + agent.group(2))
        .containsPattern("ENV KAFKA_OPTS=\"\\$\\{KAFKA_OPTS} -javaagent:");
  }

  @Test
  void shouldScrapeTheAgentPortAndProvisionTheDashboardWhenComposeStarts() throws Exception {
    JsonNode services =
        YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile()).path("services");
    JsonNode prometheus = services.path("prometheus");
    assertThat(prometheus.path("ports").toString()).isEqualTo("[\"127.0.0.1:9090:9090\"]");
    assertThat(mounts(prometheus))
        .contains(
            "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
            "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
    JsonNode config = YAML.readTree(DOCKER.resolve("prometheus/prometheus.yml").toFile());
    assertThat(config.path("rule_files").get(0).asText()).isEqualTo("alerts.yml");
    assertThat(config.path("scrape_configs").get(0).path("static_configs").get(0).path("targets"))
        .extracting(JsonNode::asText)
        .containsExactly("connect:" + agentFlag().group(2));

    JsonNode grafana = services.path("grafana");
    assertThat(grafana.path("ports").toString()).isEqualTo("[\"127.0.0.1:3000:3000\"]");
    assertThat(mounts(grafana))
        .contains(
            "./grafana/provisioning:/etc/grafana/provisioning:ro",
            "./grafana/cq-connect-dashboard.json:/var/lib/grafana/dashboards/cq-connect-dashboard.json:ro");
    for (String mount : mounts(grafana)) {
      assertThat(DOCKER.resolve(mount.split(":")[0])).as(mount).exists();
    }
    JsonNode providers =
        YAML.readTree(DOCKER.resolve("grafana/provisioning/dashboards/cq-connect.yml").toFile());
    assertThat(providers.path("providers").get(0).path("options").path("path").asText())
        .isEqualTo("/var/lib/grafana/dashboards");
    JsonNode datasource =
        YAML.readTree(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
            .path("datasources")
            .get(0);
    assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    JsonNode dashboard =
        new ObjectMapper().readTree(DOCKER.resolve("grafana/cq-connect-dashboard.json").toFile());
    assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(12);
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText() + ": datasource is the provisioned one")
          .isEqualTo(datasource.path("uid").asText());
      assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
    }
  }

  private static List<String> mounts(JsonNode service) {
    List<String> mounts = new ArrayList<>();
    service.path("volumes").forEach(v -> mounts.add(v.asText()));
    return mounts;
  }

  @Test
  void shouldPassPromtoolChecksAndRuleUnitTestsWhenPromtoolIsInstalled() throws Exception {
    Optional<Path> promtool = promtool();
    Assumptions.assumeTrue(
        promtool.isPresent(),
        "promtool not on PATH (apt-get install prometheus): alerts.yml and prometheus.yml unchecked");
    Path dir = DOCKER.resolve("prometheus");
    assertThat(run(promtool.get(), dir, "check", "config", "prometheus.yml"))
        .contains("SUCCESS: 1 rule files found");
    assertThat(run(promtool.get(), dir, "check", "rules", "alerts.yml"))
        .contains("SUCCESS: 5 rules found");
    assertThat(run(promtool.get(), dir, "test", "rules", "alerts-test.yml")).contains("SUCCESS");
  }

  private static Optional<Path> promtool() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, "promtool");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String run(Path promtool, Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
    return out;
  }
}
