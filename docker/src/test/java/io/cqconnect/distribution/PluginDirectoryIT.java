package io.cqconnect.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The packaged plugin directory and zip (mvn verify, after the assembly ran). */
class PluginDirectoryIT {

  private static final String VERSION = System.getProperty("cq.project.version");
  private static final Path DIR = Path.of(System.getProperty("cq.plugin.dir"));
  private static final Path ZIP = Path.of(System.getProperty("cq.plugin.zip"));

  /** A dependency's version from the parent pom's properties (set by docker/pom.xml). */
  private static String version(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new AssertionError("system property " + property + " is not set: run through Maven");
    }
    return value;
  }

  private static List<Path> jars() throws IOException {
    try (Stream<Path> s = Files.list(DIR.resolve("lib"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void shouldHoldBothConnectorsWithTheirServiceRegistrationsWhenPackaged() throws Exception {
    assertThat(DIR.resolve("lib/connector-source-" + VERSION + ".jar")).isRegularFile();
    assertThat(DIR.resolve("lib/connector-sink-" + VERSION + ".jar")).isRegularFile();
    try (JarFile source =
            new JarFile(DIR.resolve("lib/connector-source-" + VERSION + ".jar").toFile());
        JarFile sink =
            new JarFile(DIR.resolve("lib/connector-sink-" + VERSION + ".jar").toFile())) {
      assertThat(text(source, "META-INF/services/org.apache.kafka.connect.source.SourceConnector"))
          .contains("io.cqconnect.source.CloudQuerySourceConnector");
      assertThat(text(sink, "META-INF/services/org.apache.kafka.connect.sink.SinkConnector"))
          .contains("io.cqconnect.sink.CloudQuerySinkConnector");
    }
    assertThat(jars())
        .extracting(p -> p.getFileName().toString())
        .contains(
            "plugin-client-" + VERSION + ".jar",
            "state-bridge-" + VERSION + ".jar",
            "config-" + VERSION + ".jar",
            "connector-common-" + VERSION + ".jar",
            "grpc-netty-shaded-" + version("grpc.version") + ".jar",
            "arrow-vector-" + version("arrow.version") + ".jar",
            "sqlite-jdbc-" + version("sqlite.version") + ".jar",
            "jackson-databind-" + version("jackson.version") + ".jar");
  }

  @Test
  void shouldLeaveTheTranslatorAndTheYamlParserOutWhenPackaged() throws Exception {
    assertThat(jars())
        .extracting(p -> p.getFileName().toString())
        .noneMatch(name -> name.startsWith("config-translator-"))
        .noneMatch(name -> name.startsWith("jackson-dataformat-yaml-"))
        .noneMatch(name -> name.startsWith("snakeyaml-"));
  }

  @Test
  void shouldContainNoKafkaNoSlf4jAndNoLoggingBackendWhenPackaged() throws Exception {
    List<String> offending = new ArrayList<>();
    for (Path jar : jars()) {
      try (JarFile f = new JarFile(jar.toFile())) {
        for (Enumeration<java.util.jar.JarEntry> e = f.entries(); e.hasMoreElements(); ) {
          String name = e.nextElement().getName();
          if (name.startsWith("org/apache/kafka/")
              || name.startsWith("org/slf4j/")
              || name.startsWith("org/apache/logging/log4j/")) {
            offending.add(jar.getFileName() + "!" + name);
            break;
          }
        }
      }
    }
    assertThat(offending).as("classes the worker provides must not be packaged").isEmpty();
  }

  @Test
  void shouldDescribeItselfInAConfluentHubManifestWhenPackaged() throws Exception {
    JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
    assertThat(manifest.path("name").asText()).isEqualTo("cq-connect");
    assertThat(manifest.path("version").asText()).isEqualTo(VERSION);
    assertThat(manifest.path("component_types").toString()).isEqualTo("[\"source\",\"sink\"]");
    assertThat(manifest.path("owner").path("username").asText()).isNotBlank();
    assertThat(manifest.path("license").get(0).path("name").asText())
        .isEqualTo("Apache License 2.0");
    assertThat(DIR.resolve("doc/README.md")).isRegularFile();
    assertThat(Files.readString(DIR.resolve("doc/LICENSE"))).contains("Apache License");
    assertThat(Files.readString(DIR.resolve("doc/README.md")))
        .contains("--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED");
    assertThat(DIR.resolve("etc/source-demo.json")).isRegularFile();
  }

  @Test
  void shouldZipTheSameFilesUnderOneTopDirectoryWhenPackaged() throws Exception {
    TreeSet<String> inDir = new TreeSet<>();
    try (Stream<Path> s = Files.walk(DIR)) {
      s.filter(Files::isRegularFile).forEach(p -> inDir.add(DIR.relativize(p).toString()));
    }
    TreeSet<String> inZip = new TreeSet<>();
    String top = "cq-connect-" + VERSION + "/";
    try (ZipFile zip = new ZipFile(ZIP.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        assertThat(entry.getName()).startsWith(top);
        if (!entry.isDirectory()) {
          inZip.add(entry.getName().substring(top.length()));
        }
      }
    }
    assertThat(inZip).isEqualTo(inDir);
  }

  @Test
  void shouldFindEveryDockerfileCopySourceWhenTheBuildIsDone() throws Exception {
    Path docker = DIR.getParent().getParent();
    for (String source : DockerFilesTest.copySources()) {
      assertThat(docker.resolve(source)).as("COPY " + source).exists();
    }
    assertThat(docker.resolve("target/demo-plugin/cq-demo-plugin")).isRegularFile();
    assertThat(docker.resolve("target/demo-plugin/cq-demo-plugin-" + VERSION + ".jar"))
        .isRegularFile();
  }

  private static String text(JarFile jar, String entry) throws IOException {
    ZipEntry e = jar.getEntry(entry);
    assertThat(e).as(jar.getName() + " has " + entry).isNotNull();
    return new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
  }
}
