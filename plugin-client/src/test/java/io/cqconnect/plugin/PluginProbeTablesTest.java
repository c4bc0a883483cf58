package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.plugin.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The validate-time table check against CloudQuery's real {@code test} source. */
class PluginProbeTablesTest {

  private static PluginSettings testSource() {
    return new PluginSettings(
        Optional.of(Fixtures.binary(Fixtures.SOURCE_TEST)),
        Optional.empty(),
        PluginNetwork.UNIX,
        List.of(),
        Map.of(),
        List.of(),
        "info",
        Duration.ofSeconds(15),
        Duration.ofSeconds(15),
        Duration.ofSeconds(2),
        PluginClient.DEFAULT_MAX_MESSAGE_BYTES,
        "{}");
  }

  private static Optional<PluginProbe.Problem> probe(List<String> tables, List<String> skip) {
    return PluginProbe.check(testSource(), new PluginProbe.TableFilter(tables, skip, false));
  }

  @Test
  void shouldNameAnUnknownTablePatternAndThePluginsTables() {
    assertThat(probe(List.of("test_some_table", "no_such_table"), List.of()))
        .hasValue(
            new PluginProbe.Problem(
                PluginProbe.Subject.TABLES,
                "the plugin has no table matching 'no_such_table'; its tables are"
                    + " test_paid_table, test_some_table, test_sub_table, test_testdata_table; correct"
                    + " the pattern"));
  }

  @Test
  void shouldNameAnUnknownSkipPattern() {
    assertThat(probe(List.of("*"), List.of("test_nope*")))
        .hasValueSatisfying(
            p -> {
              assertThat(p.subject()).isEqualTo(PluginProbe.Subject.SKIP_TABLES);
              assertThat(p.message())
                  .startsWith("the plugin has no table matching 'test_nope*'")
                  .endsWith("remove the pattern or correct it");
            });
  }

  @Test
  void shouldPassPatternsThatMatch() {
    assertThat(probe(List.of("test_*"), Fixtures.SOURCE_TEST_SKIP)).isEmpty();
  }
}
