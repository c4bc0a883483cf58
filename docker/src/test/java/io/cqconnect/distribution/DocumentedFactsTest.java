package io.cqconnect.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqconnect.plugin.PluginAllowlist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Facts the user documentation (README, docs/*.md, the plugin directory's README) states that the
 * build or the code can check: the Kafka version, the worker's JVM flag, the plugin allowlist
 * variable, and every connector config shown in a {@code json} block.
 */
class DocumentedFactsTest {

  private static final Path REPO = Path.of(System.getProperty("cq.repo.dir"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JSON_BLOCK = Pattern.compile("(?s)```json\\n(.*?)```");

  @Test
  void shouldNameTheKafkaVersionTheBuildUsesWhenTheReadmeSaysWhatIsSupported() throws Exception {
    String kafka = System.getProperty("cq.kafka.version");
    assertThat(kafka).as("cq.kafka.version from the root pom").isNotBlank();

    assertThat(read("README.md"))
        .contains("built against Kafka " + kafka)
        .contains("`apache/kafka:" + kafka + "`");
    assertThat(read("docker/Dockerfile")).contains("ARG KAFKA_IMAGE=apache/kafka:" + kafka);
  }

  @Test
  void shouldGiveTheImagesArrowFlagWhereverTheDocsTellWorkersWhatToSet() throws Exception {
    Matcher m =
        Pattern.compile("KAFKA_OPTS=\"(--add-opens=\\S+)").matcher(read("docker/Dockerfile"));
    assertThat(m.find()).as("the Dockerfile sets KAFKA_OPTS").isTrue();
    String flag = m.group(1);

    for (String doc : List.of("README.md", "docker/src/dist/README.md")) {
      assertThat(read(doc)).as(doc).contains(flag);
    }
    for (String doc : List.of("README.md", "docker/README.md", "docker/src/dist/README.md")) {
      for (String paragraph : paragraphs(read(doc), "--sun-misc-unsafe-memory-access")) {
        assertThat(paragraph)
            .as("%s: the JDK warns about sun.misc.Unsafe from Java 24 (JEP 498)", doc)
            .contains("Java 24");
      }
    }
  }

  @Test
  void shouldNameTheAllowlistVariableAndPropertyTheWorkerReads() throws Exception {
    assertThat(read("README.md"))
        .contains("`" + PluginAllowlist.ENV + "=")
        .contains("`-D" + PluginAllowlist.PROPERTY + "=");
  }

  @Test
  void shouldShowOnlyWorkingConnectorConfigsWhenTheDocsGiveJsonExamples() throws Exception {
    int checked = 0;
    for (Path doc : userDocs()) {
      List<Map<String, String>> examples = new ArrayList<>();
      Matcher m = JSON_BLOCK.matcher(Files.readString(doc));
      while (m.find()) {
        if (!m.group(1).contains("\"connector.class\"")) {
          continue;
        }
        Map<String, String> config = ConnectorExamples.config(JSON.readTree(m.group(1)));
        ConnectorExamples.check(REPO.relativize(doc).toString(), config);
        examples.add(config);
        checked++;
      }
      ConnectorExamples.checkSubscriptions(REPO.relativize(doc).toString(), examples);
    }
    assertThat(checked).as("connector configs found in the docs").isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldNameBothTopicCreationKeysWhereverTheDocsSetPartitions() throws Exception {
    int found = 0;
    for (Path doc : userDocs()) {
      for (String paragraph :
          paragraphs(Files.readString(doc), "topic.creation.default.partitions")) {
        found++;
        assertThat(paragraph)
            .as("%s: Connect refuses a topic creation group without a replication factor", doc)
            .contains("topic.creation.default.replication.factor");
      }
    }
    assertThat(found).as("paragraphs about topic creation").isPositive();
  }

  private static List<Path> userDocs() throws Exception {
    List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  /** The blank-line separated paragraphs (or table rows) of {@code text} that mention {@code s}. */
  private static List<String> paragraphs(String text, String s) {
    List<String> out = new ArrayList<>();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      if (paragraph.contains(s)) {
        out.add(paragraph);
      }
    }
    return out;
  }

  private static String read(String path) throws Exception {
    return Files.readString(REPO.resolve(path));
  }
}
