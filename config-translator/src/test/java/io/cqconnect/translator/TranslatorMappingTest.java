package io.cqconnect.translator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranslatorMappingTest {

  @TempDir Path baseDir;

  private Translation translate(String prefix, String yaml) {
    TranslatorOptions options =
        TranslatorOptions.defaults().withBaseDir(baseDir).withTopicPrefix(prefix);
    return new SpecTranslator(options).translate("inline.yml", yaml);
  }

  private static Map<String, String> config(Translation translation, String name) {
    assertThat(translation.errors()).isEmpty();
    return translation.requests().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow()
        .config();
  }

  @Test
  void shouldMapFileVariableToDirectoryProviderWhenInsideSpec() throws Exception {
    Files.writeString(baseDir.resolve("key.json"), "{\"type\": \"service_account\"}\n");
    Translation translation =
        translate(
            "",
            """
            kind: source
            spec:
              name: gcp
              path: 127.0.0.1:7000
              registry: grpc
              tables: ["gcp_projects"]
              destinations: ["pg"]
              spec:
                service_account_key_json: ${file:./key.json}
                project_ids: ["${PROJECT}"]
            ---
            kind: destination
            spec: {name: pg, path: "127.0.0.1:7001", registry: grpc}
            """);

    Map<String, String> source = config(translation, "gcp");
    assertThat(source)
        .containsEntry(
            "plugin.spec",
            "{\"service_account_key_json\":\"${file.key.json}\",\"project_ids\":[\"${PROJECT}\"]}")
        .containsEntry(
            "plugin.spec.var.file.key.json", "${dir:" + baseDir.toAbsolutePath() + ":key.json}")
        .containsEntry("plugin.spec.var.PROJECT", "${env:PROJECT}")
        .containsEntry("plugin.address", "127.0.0.1:7000");
    assertThat(translation.notes())
        .contains(
            "the Connect worker config needs: config.providers=env,dir,"
                + " config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider,"
                + " config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider");
  }

  @Test
  void shouldInlineProviderPlaceholdersWhenVariablesAreInPlainFields() {
    Translation translation =
        translate(
            "cq.",
            """
            kind: source
            spec:
              name: s
              path: ${PLUGIN_DIR}/cq-source-test
              registry: local
              tables: ["${TABLE}"]
              skip_dependent_tables: ${SKIP_DEPS}
              destinations: ["d"]
              backend_options:
                table_name: cq_state
                connection: ${STATE_ADDRESS}
            ---
            kind: destination
            spec: {name: d, path: "127.0.0.1:7001", registry: grpc, write_mode: "${MODE}"}
            """);

    assertThat(translation.errors()).isEmpty();
    Map<String, String> source = config(translation, "s");
    assertThat(source)
        .containsEntry("plugin.path", "${env:PLUGIN_DIR}/cq-source-test")
        .containsEntry("tables", "${env:TABLE}")
        .containsEntry("skip.dependent.tables", "${env:SKIP_DEPS}")
        .containsEntry("state.table.name", "cq_state")
        .containsEntry("state.mirror.address", "${env:STATE_ADDRESS}");
    assertThat(config(translation, "d")).containsEntry("write.mode", "${env:MODE}");
  }

  @Test
  void shouldDialBackendDestinationWhenItIsAGrpcPlugin() {
    Translation translation =
        translate(
            "",
            """
            kind: source
            spec:
              name: s
              path: 127.0.0.1:7000
              registry: grpc
              tables: ["t"]
              destinations: ["d"]
              backend_options: {table_name: cq_state, connection: "@@plugins.state.connection"}
            ---
            kind: destination
            spec: {name: d, path: "127.0.0.1:7001", registry: grpc}
            ---
            kind: destination
            spec:
              name: state
              path: 127.0.0.1:7777
              registry: grpc
              spec: {connection_string: "${STATE_DSN}"}
            """);

    Map<String, String> source = config(translation, "s");
    assertThat(source)
        .containsEntry("state.mirror.address", "127.0.0.1:7777")
        .containsEntry("state.mirror.spec", "{\"connection_string\":\"${STATE_DSN}\"}")
        .containsEntry("state.mirror.spec.var.STATE_DSN", "${env:STATE_DSN}")
        .doesNotContainKey("state.mirror.path");
    assertThat(translation.requests()).extracting(ConnectorRequest::name).containsExactly("s", "d");
  }

  @Test
  void shouldSubscribeByRegexExcludingSkipsAndStateTopicWhenTablesUseGlobs() {
    Translation translation =
        translate(
            "{source}.",
            """
            kind: source
            spec:
              name: aws
              path: 127.0.0.1:7000
              registry: grpc
              tables: ["aws_ec2_*", "aws_s3_buckets"]
              skip_tables: ["aws_ec2_images"]
              destinations: ["pg"]
            ---
            kind: destination
            spec: {name: pg, path: "127.0.0.1:7001", registry: grpc}
            """);

    assertThat(config(translation, "aws")).containsEntry("topic.prefix", "aws.");
    Map<String, String> sink = config(translation, "pg");
    assertThat(sink).doesNotContainKey("topics");
    Pattern regex = Pattern.compile(sink.get("topics.regex"));
    assertThat(regex.matcher("aws.aws_ec2_instances").matches()).isTrue();
    assertThat(regex.matcher("aws.aws_s3_buckets").matches()).isTrue();
    assertThat(regex.matcher("aws.aws_ec2_images").matches()).isFalse();
    assertThat(regex.matcher("aws.cq_state").matches()).isFalse();
    assertThat(regex.matcher("aws.aws_s3_buckets_x").matches()).isFalse();
    assertThat(regex.matcher("awsXaws_s3_buckets").matches()).isFalse();
    assertThat(regex.matcher("connect-offsets").matches()).isFalse();
  }

  @Test
  void shouldListTopicsOfEverySourceWhenTablesAreExplicit() {
    Translation translation =
        translate(
            "{source}_",
            """
            kind: source
            spec: {name: a, path: "127.0.0.1:7000", registry: grpc, tables: [t1, t2], destinations: [d]}
            ---
            kind: source
            spec: {name: b, path: "127.0.0.1:7002", registry: grpc, tables: [t1], destinations: [d]}
            ---
            kind: destination
            spec: {name: d, path: "127.0.0.1:7001", registry: grpc}
            """);

    assertThat(config(translation, "d")).containsEntry("topics", "a_t1,a_t2,b_t1");
  }

  @Test
  void shouldRefuseUnboundedRegexWhenWildcardHasNoTopicPrefix() {
    Translation translation =
        translate(
            "",
            """
            kind: source
            spec: {name: a, path: "127.0.0.1:7000", registry: grpc, tables: ["*"], destinations: [d]}
            ---
            kind: destination
            spec: {name: d, path: "127.0.0.1:7001", registry: grpc}
            """);

    assertThat(translation.errors())
        .extracting(SpecError::text)
        .containsExactly(
            "document 1 (source \"a\"): tables: a pattern starting with a wildcard makes the sink"
                + " subscribe by topics.regex. For destination \"d\", without a topic prefix that"
                + " regex would match every topic of the cluster (Connect's own included); pass"
                + " --topic-prefix, e.g. --topic-prefix '{source}.'");
  }

  @Test
  void shouldTakeWholePrefixWhenDependentTablesAreIncluded() {
    Translation translation =
        translate(
            "x.",
            """
            kind: source
            spec:
              name: a
              path: 127.0.0.1:7000
              registry: grpc
              tables: [parent]
              skip_dependent_tables: false
              destinations: [d]
            ---
            kind: destination
            spec: {name: d, path: "127.0.0.1:7001", registry: grpc}
            """);

    Pattern regex = Pattern.compile(config(translation, "d").get("topics.regex"));
    assertThat(regex.matcher("x.parent").matches()).isTrue();
    assertThat(regex.matcher("x.parent_children").matches()).isTrue();
    assertThat(regex.matcher("x.cq_state").matches()).isFalse();
    assertThat(regex.matcher("y.parent").matches()).isFalse();
  }

  @Test
  void shouldMakeLocalPathAbsoluteWhenRelative() throws Exception {
    Path binary = baseDir.resolve("bin/cq-source-test");
    Files.createDirectories(binary.getParent());
    Files.writeString(binary, "#!/bin/sh\n");
    Translation translation =
        translate(
            "",
            """
            kind: source
            spec: {name: a, path: ./bin/cq-source-test, registry: local, tables: [t], destinations: [d]}
            ---
            kind: destination
            spec: {name: d, path: "unix:///tmp/d.sock", registry: grpc}
            """);

    assertThat(config(translation, "a")).containsEntry("plugin.path", binary.toString());
    assertThat(config(translation, "d")).containsEntry("plugin.address", "unix:///tmp/d.sock");
  }
}
