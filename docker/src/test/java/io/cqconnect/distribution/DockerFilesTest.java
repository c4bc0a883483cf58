package io.cqconnect.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the image and compose files without a Docker daemon: versions, the Arrow
 * flag, the worker configuration, the compose structure, and that every example connector config
 * uses only keys the connectors define. (That the COPY sources exist after packaging is checked by
 * PluginDirectoryIT.)
 */
class DockerFilesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DOCKER = Path.of(System.getProperty("cq.repo.dir")).resolve("docker");

  static List<String> copySources() throws Exception {
    List<String> sources = new ArrayList<>();
    String version = System.getProperty("cq.project.version");
    Matcher m =
        Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+\\s*$")
            .matcher(Files.readString(DOCKER.resolve("Dockerfile")));
    while (m.find()) {
      sources.add(m.group(1).replace("${CQ_CONNECT_VERSION}", version));
    }
    return sources;
  }

  @Test
  void shouldDefaultTheImageVersionToTheProjectVersionWhenBuilt() throws Exception {
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("ARG CQ_CONNECT_VERSION=" + System.getProperty("cq.project.version"))
        .contains("ARG KAFKA_IMAGE=apache/kafka:" + System.getProperty("cq.kafka.version"))
        .contains("--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED")
        .contains("COPY target/cq-connect-${CQ_CONNECT_VERSION}/ /opt/kafka/plugins/cq-connect/");
    assertThat(copySources())
        .containsExactly(
            "target/cq-connect-" + System.getProperty("cq.project.version") + "/",
            "target/demo-plugin/",
            "connect-distributed.properties",
            "target/jmx-exporter/",
            "prometheus/jmx-exporter.yml");
  }

  @Test
  void shouldLetEveryCopySourceIntoTheBuildContextWhenDockerignoreFilters() throws Exception {
    List<String> rules = Files.readAllLines(DOCKER.resolve(".dockerignore"));
    assertThat(rules).contains("*");
    for (String source : copySources()) {
      String pattern = "!" + source.replace(System.getProperty("cq.project.version"), "*");
      assertThat(rules).as("allowed by .dockerignore: " + source).contains(pattern);
    }
  }

  @Test
  void shouldConfigureTheWorkerForPluginPathAndProvidersWhenTheImageStarts() throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(DOCKER.resolve("connect-distributed.properties"))));
    assertThat(p.getProperty("plugin.path")).isEqualTo("/opt/kafka/plugins");
    assertThat(p.getProperty("plugin.discovery")).isEqualTo("service_load");
    assertThat(p.getProperty("config.providers")).isEqualTo("env,dir");
    assertThat(p.getProperty("config.providers.env.class"))
        .isEqualTo("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    assertThat(p.getProperty("config.providers.dir.class"))
        .isEqualTo("org.apache.kafka.common.config.provider.DirectoryConfigProvider");
    assertThat(p.getProperty("bootstrap.servers")).isEqualTo("${env:CONNECT_BOOTSTRAP_SERVERS}");
    assertThat(p.stringPropertyNames())
        .contains(
            "group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic");
  }

  @Test
  void shouldDescribeBrokerWorkerAndConnectorCreationWhenComposeIsRead() throws Exception {
    JsonNode compose =
        new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("docker-compose.yml").toFile());
    JsonNode services = compose.path("services");
    assertThat(services.path("kafka").path("image").asText())
        .isEqualTo("apache/kafka:" + System.getProperty("cq.kafka.version"));
    assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
        .isEqualTo("broker,controller");
    JsonNode connect = services.path("connect");
    assertThat(
            DOCKER
                .resolve(connect.path("build").path("context").asText())
                .resolve(connect.path("build").path("dockerfile").asText()))
        .isRegularFile();
    assertThat(connect.path("depends_on").path("kafka").path("condition").asText())
        .isEqualTo("service_healthy");
    assertThat(connect.path("environment").path("CONNECT_BOOTSTRAP_SERVERS").asText())
        .isEqualTo("kafka:9092");
    assertThat(connect.path("ports").toString())
        .isEqualTo("[\"127.0.0.1:8083:8083\",\"127.0.0.1:9999:9999\"]");
    assertThat(services.path("kafka").path("ports").toString())
        .isEqualTo("[\"127.0.0.1:29092:29092\"]");
    JsonNode create = services.path("create-connector");
    assertThat(create.path("command").toString())
        .contains("@/connectors/demo-source.json", "http://connect:8083/connectors/cq-demo/config");
    assertThat(create.path("volumes").get(0).asText()).startsWith("./connectors:/connectors");
    assertThat(DOCKER.resolve("connectors/demo-source.json")).isRegularFile();
  }

  /**
   * podman/compose.podman.yml runs the compose file's broker from podman/kraft-compose.properties:
   * every KAFKA_* variable of the compose file must be in it with the same value, and the override
   * must only name services the compose file has.
   */
  @Test
  void shouldGiveThePodmanBrokerEveryComposeBrokerSetting() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode services =
        yaml.readTree(DOCKER.resolve("docker-compose.yml").toFile()).path("services");
    JsonNode overrides =
        yaml.readTree(DOCKER.resolve("podman/compose.podman.yml").toFile()).path("services");
    List<String> overridden = new ArrayList<>();
    overrides.fieldNames().forEachRemaining(overridden::add);
    assertThat(overridden).isNotEmpty();
    overridden.forEach(name -> assertThat(services.has(name)).as("service %s", name).isTrue());

    Properties broker = new Properties();
    broker.load(
        new StringReader(Files.readString(DOCKER.resolve("podman/kraft-compose.properties"))));
    Map<String, String> expected = new TreeMap<>();
    services
        .path("kafka")
        .path("environment")
        .fields()
        .forEachRemaining(
            e ->
                expected.put(
                    e.getKey().substring("KAFKA_".length()).toLowerCase().replace('_', '.'),
                    e.getValue().asText()));
    assertThat(expected).hasSizeGreaterThan(10);
    expected.forEach((key, value) -> assertThat(broker.getProperty(key)).as(key).isEqualTo(value));
  }

  @Test
  void shouldUseOnlyDefinedKeysWhenExampleConnectorsAreConfigured() throws Exception {
    List<Path> files = new ArrayList<>();
    files.add(DOCKER.resolve("connectors/demo-source.json"));
    try (Stream<Path> etc = Files.list(DOCKER.resolve("src/dist/etc"))) {
      etc.sorted().forEach(files::add);
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    List<Map<String, String>> examples = new ArrayList<>();
    for (Path file : files) {
      Map<String, String> config = ConnectorExamples.config(JSON.readTree(file.toFile()));
      ConnectorExamples.check(file.getFileName().toString(), config);
      examples.add(config);
    }
    ConnectorExamples.checkSubscriptions("docker/src/dist/etc", examples);
  }
}
