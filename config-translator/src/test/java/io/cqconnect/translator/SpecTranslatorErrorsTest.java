package io.cqconnect.translator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecTranslatorErrorsTest {

  private final SpecTranslator translator = new SpecTranslator(TranslatorOptions.defaults());

  @Test
  void shouldNameDocumentAndPathWhenBackendReferencesUnknownPlugin() throws Exception {
    assertThat(errorsOf("unknown-backend-plugin"))
        .containsExactly(
            "document 1 (source \"aws\"): backend_options.connection: unknown plugin 'postgres';"
                + " defined destinations: postgresql");
  }

  @Test
  void shouldRefuseDockerRegistryWhenTranslating() throws Exception {
    assertThat(errorsOf("docker-registry"))
        .containsExactly(
            "document 1 (source \"aws\"): registry: docker is not supported in Connect: run the"
                + " image yourself and use registry: grpc with the address it listens on");
  }

  @Test
  void shouldRequireTablesWhenSourceHasNone() throws Exception {
    assertThat(errorsOf("missing-tables"))
        .containsExactly(
            "document 1 (source \"aws\"): tables: required; list the tables to sync, e.g."
                + " tables: [\"*\"] (cloudquery tables lists them)");
  }

  @Test
  void shouldRejectUnknownKeysAtBothLevelsWhenStrict() throws Exception {
    assertThat(errorsOf("unknown-top-level-key"))
        .containsExactly(
            "document 1 (source \"aws\"): tabels: unknown key; valid keys for a source are name,"
                + " path, registry, version, docker_registry_auth_token, spec, tables, skip_tables,"
                + " skip_dependent_tables, destinations, backend_options, deterministic_cq_id,"
                + " otel_endpoint, otel_endpoint_insecure",
            "document 2 (destination \"postgresql\"): metadata: unknown key; valid keys are kind,"
                + " spec");
  }

  @Test
  void shouldNameUndefinedDestinationWhenSourceListsIt() throws Exception {
    assertThat(errorsOf("undefined-destination"))
        .containsExactly(
            "document 1 (source \"aws\"): destinations[1]: unknown destination 'bigquery'; defined"
                + " destinations: postgresql");
  }

  @Test
  void shouldRequireBothBackendFieldsWhenOnlyTableNameIsGiven() throws Exception {
    assertThat(errorsOf("backend-one-field"))
        .containsExactly(
            "document 1 (source \"aws\"): backend_options: table_name and connection are both"
                + " required; connection is missing");
  }

  @Test
  void shouldRejectTimeVariablesAndUnknownProvidersWhenTranslating() {
    Translation translation =
        translator.translate(
            "inline.yml",
            """
            kind: source
            spec:
              name: s
              path: 127.0.0.1:7000
              registry: grpc
              tables: ["t"]
              destinations: ["d"]
              spec:
                since: ${time:now-24h}
                token: ${vault:secret/token}
            ---
            kind: destination
            spec:
              name: d
              path: 127.0.0.1:7001
              registry: grpc
            """);

    assertThat(translation.errors())
        .extracting(SpecError::text)
        .containsExactly(
            "document 1 (source \"s\"): spec.since: ${time:now-24h} is not supported: Connect has"
                + " no provider for relative times, and a value fixed when translating would go"
                + " stale; use an absolute value",
            "document 1 (source \"s\"): spec.token: ${vault:secret/token} is not a CloudQuery"
                + " variable: use ${NAME} for an environment variable or ${file:PATH} for a file's"
                + " contents");
  }

  @Test
  void shouldRefuseUnsupportedDestinationFeaturesWhenPresent() {
    Translation translation =
        translator.translate(
            "inline.yml",
            """
            kind: source
            spec: {name: s, path: "127.0.0.1:7000", registry: grpc, tables: [t], destinations: [d]}
            ---
            kind: destination
            spec:
              name: d
              path: 127.0.0.1:7001
              registry: grpc
              write_mode: upsert
              sync_group_id: "{{YEAR}}"
              send_sync_summary: true
              transformers: [basic]
            ---
            kind: transformer
            spec: {name: basic}
            """);

    assertThat(translation.errors())
        .extracting(SpecError::text)
        .containsExactly(
            "document 2 (destination \"d\"): write_mode: invalid write mode 'upsert': valid values"
                + " are append, overwrite, overwrite-delete-stale",
            "document 2 (destination \"d\"): sync_group_id: not supported by the sink connector;"
                + " remove it",
            "document 2 (destination \"d\"): send_sync_summary: not supported by the sink"
                + " connector; remove it",
            "document 2 (destination \"d\"): transformers: CloudQuery transformers are not"
                + " supported: use Single Message Transforms (transforms=...) on the sink connector",
            "document 3: kind: transformer is not supported in Connect: use Single Message"
                + " Transforms (transforms=...) on the connector instead");
  }

  @Test
  void shouldRejectDuplicateNamesWhenSourceAndDestinationShareOne() {
    Translation translation =
        translator.translate(
            "inline.yml",
            """
            kind: source
            spec: {name: x, path: "127.0.0.1:7000", registry: grpc, tables: [t], destinations: [x]}
            ---
            kind: destination
            spec: {name: x, path: "127.0.0.1:7001", registry: grpc}
            """);

    assertThat(translation.errors())
        .extracting(SpecError::text)
        .contains(
            "document 2 (destination \"x\"): name: 'x' is already used by document 1 (source"
                + " \"x\"); names must be unique, as they become Connect connector names");
  }

  @Test
  void shouldReportYamlSyntaxErrorWithLineWhenFileIsMalformed() {
    Translation translation =
        translator.translate("bad.yml", "kind: source\nspec:\n  name: [unclosed\n");

    assertThat(translation.errors()).hasSize(1);
    assertThat(translation.errors().get(0).text()).startsWith("document 1: YAML error at line ");
  }

  @Test
  void shouldRejectDuplicateKeysWhenYamlRepeatsOne() {
    Translation translation =
        translator.translate(
            "dup.yml",
            "kind: source\nspec:\n  name: a\n  name: b\n  path: x\n  tables: [t]\n"
                + "  destinations: [d]\n");

    assertThat(translation.errors()).hasSize(1);
    assertThat(translation.errors().get(0).text())
        .startsWith("document 1: YAML error at line ")
        .contains("Duplicate field 'name'");
  }

  private List<String> errorsOf(String name) throws Exception {
    Path spec = Path.of(getClass().getResource("/specs/broken/" + name + ".yml").toURI());
    Translation translation = translator.translate(List.of(spec));
    assertThat(translation.requests()).isEmpty();
    assertThat(translation.errors())
        .allSatisfy(e -> assertThat(e.file()).isEqualTo(spec.toString()));
    return translation.errors().stream().map(SpecError::text).toList();
  }
}
