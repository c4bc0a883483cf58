package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StateServerConfigTest {

  /** A valid value for each option that changes the parsed settings from the defaults. */
  private static final Map<String, String> SAMPLES =
      Map.of(
          "--address", "0.0.0.0:9000",
          "--unix", "/run/cq/state.sock",
          "--jdbc-url", "jdbc:postgresql://db:5432/cq",
          "--jdbc-user", "cq",
          "--jdbc-password-env", "PGPASSWORD",
          "--threads", "2",
          "--log-level", "debug");

  @Test
  void shouldUseSqliteOnLoopbackWhenNoArgumentsAreGiven() {
    StateServerConfig config = StateServerConfig.parse(new String[0]).orElseThrow();

    assertThat(config.toString())
        .isEqualTo(
            "StateServerConfig{address=127.0.0.1:7777, jdbcUrl=jdbc:sqlite:cq-state.db,"
                + " jdbcUser=null, jdbcPasswordEnv=null, threads=4, logLevel=info}");
  }

  @Test
  void shouldAcceptEveryDocumentedOptionAndChangeTheSettingsWithIt() {
    String defaults = StateServerConfig.parse(new String[0]).orElseThrow().toString();
    Set<String> documented = documentedOptions();

    assertThat(documented)
        .containsExactlyElementsOf(
            StateServerConfig.OPTIONS.stream().map(StateServerConfig.Option::name).toList());
    for (String name : documented) {
      if (name.equals("--help")) {
        assertThat(StateServerConfig.parse(new String[] {name})).isEmpty();
        continue;
      }
      assertThat(SAMPLES).as("a sample value for %s", name).containsKey(name);
      StateServerConfig parsed =
          StateServerConfig.parse(new String[] {name, SAMPLES.get(name)}).orElseThrow();
      assertThat(parsed.toString()).as("settings after %s", name).isNotEqualTo(defaults);
    }
  }

  @Test
  void shouldRefuseEveryOptionTheDocsDoNotList() {
    Set<String> documented = documentedOptions();
    for (String name : new String[] {"--jdbc-password", "--port", "--socket", "--help-me"}) {
      assertThat(documented).doesNotContain(name);
      assertThatThrownBy(() -> StateServerConfig.parse(new String[] {name, "x"}))
          .hasMessage("unknown option " + name + "; run cq-state-server --help for the options");
    }
  }

  @Test
  void shouldNameTheBadArgumentWhenParsingFails() {
    assertThatThrownBy(() -> StateServerConfig.parse(new String[] {"--jdbc-url"}))
        .hasMessage("option --jdbc-url needs a value");
    assertThatThrownBy(() -> StateServerConfig.parse(new String[] {"--threads", "0"}))
        .hasMessage("--threads needs a positive number, got '0'");
    assertThatThrownBy(() -> StateServerConfig.parse(new String[] {"--log-level", "loud"}))
        .hasMessage("--log-level must be trace, debug, info, warn or error, got 'loud'");
    assertThatThrownBy(() -> StateServerConfig.parse(new String[] {"stray"}))
        .hasMessage("unexpected argument 'stray'");
  }

  /** The options named in the state server section of the generated reference. */
  private static Set<String> documentedOptions() {
    String docs = ConfigDocs.render();
    int start = docs.indexOf("## Standalone state server");
    int end = docs.indexOf("\n## ", start + 1);
    assertThat(start).as("state server section").isNotNegative();
    Matcher m = Pattern.compile("(?m)^  (--[a-z-]+)").matcher(docs.substring(start, end));
    Set<String> names = new LinkedHashSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
