package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cqconnect.translator.ConnectorRequest;
import io.cqconnect.translator.SpecTranslator;
import io.cqconnect.translator.Translation;
import io.cqconnect.translator.TranslatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CloudQuery spec files of the hand-off tests: rendered from the templates under {@code
 * handoff/} on the test classpath, run by the CLI as they are, and translated into the source
 * connector config Connect runs, by our translator ({@link SpecTranslator} or the {@code
 * cq-connect-config translate} command line).
 */
final class CliSpecs {

  /**
   * The topic prefix given to the translator: {@code {source}.} (a translator option, not an
   * override).
   */
  static final String TOPIC_PREFIX = "{source}.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CliSpecs() {}

  /**
   * Writes template {@code handoff/<template>} to {@code file} with every {@code {{NAME}}}
   * replaced.
   */
  static Path render(String template, Path file, Map<String, String> values) throws IOException {
    String text;
    try (InputStream in = CliSpecs.class.getResourceAsStream("/handoff/" + template)) {
      assertThat(in).as("test resource handoff/%s", template).isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      text = text.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    assertThat(text).as("placeholders left in %s", template).doesNotContain("{{");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The config of source connector {@code source} that {@link SpecTranslator} makes of {@code
   * spec}.
   */
  static Map<String, String> translate(Path spec, String source) {
    TranslatorOptions options =
        TranslatorOptions.defaults()
            .withBaseDir(spec.getParent())
            .withPluginsRoot(spec.getParent())
            .withTopicPrefix(TOPIC_PREFIX);
    Translation translation = new SpecTranslator(options).translate(List.of(spec));
    assertThat(translation.errors()).as("translation errors of %s", spec).isEmpty();
    for (ConnectorRequest request : translation.requests()) {
      if (request.name().equals(source)) {
        return new LinkedHashMap<>(request.config());
      }
    }
    throw new AssertionError(
        "no connector named "
            + source
            + " in the translation of "
            + spec
            + ": "
            + translation.requests());
  }

  /**
   * The config of source connector {@code source} printed by {@code cq-connect-config translate
   * SPEC --topic-prefix {source}.} (class {@code io.cqconnect.translator.ConfigCli}, run in a JVM
   * of its own as a user runs it).
   */
  static Map<String, String> translateWithCommandLine(Path spec, String source)
      throws IOException, InterruptedException {
    Path out = spec.resolveSibling("translate.out.json");
    Path err = spec.resolveSibling("translate.err.txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.cqconnect.translator.ConfigCli",
                "translate",
                spec.toString(),
                "--topic-prefix",
                TOPIC_PREFIX));
    Process process =
        new ProcessBuilder(command)
            .directory(spec.getParent().toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("cq-connect-config translate did not finish in 60 s");
    }
    assertThat(process.exitValue())
        .as("cq-connect-config translate exit status; stderr:\n%s", Files.readString(err))
        .isZero();
    JsonNode requests = JSON.readTree(out.toFile());
    for (JsonNode request : requests) {
      if (request.get("name").asText().equals(source)) {
        Map<String, String> config = new LinkedHashMap<>();
        request
            .get("config")
            .fields()
            .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
      }
    }
    throw new AssertionError("no connector named " + source + " in:\n" + Files.readString(out));
  }

  /**
   * The translated config with the test-only overrides applied: every key of {@code overrides} is
   * set (a null value removes the key). Returns a new map; the caller prints both.
   */
  static Map<String, String> withOverrides(
      Map<String, String> translated, Map<String, String> overrides) {
    Map<String, String> config = new LinkedHashMap<>(translated);
    overrides.forEach(
        (k, v) -> {
          if (v == null) {
            config.remove(k);
          } else {
            config.put(k, v);
          }
        });
    return config;
  }
}
