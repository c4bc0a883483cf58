package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

  private static final List<ConfigDef> ALL =
      List.of(SourceConfig.configDef(), SourceTaskConfig.configDef(), SinkConfig.configDef());

  @Test
  void shouldDocumentEveryKeyWithGroupAndDisplayNameWhenDefined() {
    for (ConfigDef def : ALL) {
      for (ConfigKey key : def.configKeys().values()) {
        assertThat(key.documentation).as("documentation of %s", key.name).isNotBlank();
        assertThat(key.group).as("group of %s", key.name).isNotBlank();
        assertThat(key.displayName).as("display name of %s", key.name).isNotBlank();
        assertThat(key.orderInGroup).as("order of %s", key.name).isPositive();
      }
    }
  }

  @Test
  void shouldListEveryUserKeyInTheReferenceWhenRendered() {
    String docs = ConfigDocs.render();

    for (ConfigDef def : ALL) {
      for (String key : def.names()) {
        assertThat(docs).as("reference mentions %s", key).contains("| `" + key + "` |");
      }
    }
    assertThat(docs).contains("`plugin.env.*`", "`plugin.spec.var.*`", "`state.mirror.spec.var.*`");
  }

  @Test
  void shouldMatchCommittedReferenceWhenKeysChange() throws Exception {
    Path committed = repositoryRoot().resolve(ConfigDocs.DEFAULT_OUTPUT);

    assertThat(committed).as("%s must exist", committed).exists();
    assertThat(Files.readString(committed, StandardCharsets.UTF_8))
        .as(
            "docs/configuration.md is stale; regenerate it from the repository root with: mvn -q"
                + " -pl config exec:java -Dexec.mainClass=io.cqconnect.config.ConfigDocs"
                + " -Dexec.classpathScope=compile")
        .isEqualTo(ConfigDocs.render());
  }

  private static Path repositoryRoot() {
    String fixtures = System.getProperty("cq.fixtures.dir");
    if (fixtures != null) {
      return Path.of(fixtures).toAbsolutePath().getParent();
    }
    return Path.of("").toAbsolutePath().getParent();
  }
}
