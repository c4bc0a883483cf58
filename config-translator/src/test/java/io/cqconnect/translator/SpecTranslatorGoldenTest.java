package io.cqconnect.translator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecTranslatorGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path pluginsRoot;

  @ParameterizedTest
  @ValueSource(
      strings = {"aws-to-postgresql-with-postgresql-state", "aws-to-bigquery-with-sqlite-state"})
  void shouldMatchGoldenRequestsWhenHubPluginsAreInstalled(String example) throws Exception {
    installFakePlugin("source/cloudquery/aws/v31.1.0");
    installFakePlugin("destination/cloudquery/postgresql/v8.7.7");
    installFakePlugin("destination/cloudquery/bigquery/v4.2.4");
    installFakePlugin("destination/cloudquery/sqlite/v2.10.4");

    Translation translation = translator().translate(List.of(spec(example)));

    assertThat(translation.errors()).isEmpty();
    String golden =
        resource("golden/" + example + ".json").replace("@PLUGINS_ROOT@", root().toString());
    assertThat(JSON.readTree(translation.requestsJson())).isEqualTo(JSON.readTree(golden));
  }

  @Test
  void shouldReportProvidersAndEnvironmentWhenSpecUsesVariables() throws Exception {
    installFakePlugin("source/cloudquery/aws/v31.1.0");
    installFakePlugin("destination/cloudquery/postgresql/v8.7.7");

    Translation translation =
        translator().translate(List.of(spec("aws-to-postgresql-with-postgresql-state")));

    assertThat(translation.notes())
        .contains(
            "the Connect worker config needs: config.providers=env,"
                + " config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
            "every Connect worker's environment must define CONNECTION_STRING",
            "document 1 (source \"aws\"): registry: cloudquery mapped to the installed binary "
                + root().resolve(".cq/plugins/source/cloudquery/aws/v31.1.0/plugin")
                + "; it must exist at that path on every Connect worker");
  }

  @Test
  void shouldNoteThatStateOnlyDestinationGetsNoSinkWhenItIsOnlyABackend() throws Exception {
    installFakePlugin("source/cloudquery/aws/v31.1.0");
    installFakePlugin("destination/cloudquery/bigquery/v4.2.4");
    installFakePlugin("destination/cloudquery/sqlite/v2.10.4");

    Translation translation =
        translator().translate(List.of(spec("aws-to-bigquery-with-sqlite-state")));

    assertThat(translation.requests())
        .extracting(ConnectorRequest::name)
        .containsExactly("aws", "bigquery");
    assertThat(translation.notes())
        .contains(
            "document 3 (destination \"sqlite\"): no source lists it in destinations, so it gets"
                + " no sink connector (a state backend needs none)");
  }

  @Test
  void shouldExplainHowToInstallWhenHubPluginBinaryIsMissing() throws Exception {
    installFakePlugin("destination/cloudquery/postgresql/v8.7.7");

    Translation translation =
        translator().translate(List.of(spec("aws-to-postgresql-with-postgresql-state")));

    Path expected = root().resolve(".cq/plugins/source/cloudquery/aws/v31.1.0/plugin");
    assertThat(translation.requests()).isEmpty();
    assertThat(translation.errors())
        .extracting(SpecError::text)
        .containsExactly(
            "document 1 (source \"aws\"): path: plugin cloudquery/aws v31.1.0 is not installed: "
                + expected
                + " does not exist. Run 'cloudquery plugin install <spec file>' in "
                + root()
                + " (or pass --plugins-root), or use registry: local with the path of the plugin"
                + " binary, or registry: grpc with the address of a running plugin");
    assertThat(translation.errors().get(0).file())
        .endsWith("aws-to-postgresql-with-postgresql-state.yml");
  }

  private SpecTranslator translator() {
    return new SpecTranslator(TranslatorOptions.defaults().withPluginsRoot(pluginsRoot));
  }

  private Path root() {
    return pluginsRoot.toAbsolutePath().normalize();
  }

  private void installFakePlugin(String relative) throws IOException {
    Path dir = pluginsRoot.resolve(".cq/plugins").resolve(relative);
    Files.createDirectories(dir);
    Path binary = dir.resolve("plugin");
    Files.writeString(binary, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static Path spec(String name) throws URISyntaxException {
    return Path.of(SpecTranslatorGoldenTest.class.getResource("/specs/" + name + ".yml").toURI());
  }

  static String resource(String name) throws IOException {
    try (InputStream in = SpecTranslatorGoldenTest.class.getResourceAsStream("/" + name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }
}
