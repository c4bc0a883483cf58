package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cqconnect.plugin.testing.Fixtures;
import io.cqconnect.plugin.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary secrets in every place a user puts one (the plugin spec, a plugin environment variable,
 * the state mirror's spec, a password inside the mirror's JDBC URL and the JDBC password key),
 * given through Kafka's env config provider as the README recommends, never show up where others
 * can read them: the worker log, the connector's config, status, tasks and offsets over REST, a
 * validate answer, or the state topic. The syncs themselves must work with them.
 */
@ExtendWith(ConnectClusterExtension.class)
class SecretsIT {

  private static final String CANARY = "cnry" + UUID.randomUUID().toString().substring(0, 8);

  @TempDir Path tmp;

  @Test
  void shouldKeepEveryCanarySecretOutOfLogsRestAndTopics(EmbeddedConnectCluster connect)
      throws Exception {
    String database = TestPostgres.createDatabase("secrets");
    Path specDir = Files.createDirectories(tmp.resolve(CANARY + "-spec"));
    Files.writeString(specDir.resolve("tables"), "1");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNRY_SPEC_DIR", specDir.toString());
    env.put("CNRY_ENV", CANARY + "-env");
    env.put("CNRY_MIRROR_PW", CANARY + "-mirrorspec");
    env.put("CNRY_URL_PW", CANARY + "-url");
    env.put("CNRY_JDBC_PW", CANARY + "-jdbckey");
    IncrementalWorkerProcess worker =
        IncrementalWorkerProcess.start(
            connect.kafka().bootstrapServers(),
            "cq-secrets",
            1,
            Map.of(
                "config.providers", "env",
                "config.providers.env.class",
                    "org.apache.kafka.common.config.provider.EnvVarConfigProvider"),
            env);
    try {
      await()
          .alias("worker answers REST (log " + worker.log() + ")")
          .atMost(Duration.ofSeconds(60))
          .until(() -> worker.isAlive() && worker.answers());
      Map<String, String> pluginMirror = source("secrets-plugin");
      pluginMirror.put("state.mirror.path", Fixtures.binary(Fixtures.DEST_POSTGRESQL).toString());
      pluginMirror.put(
          "state.mirror.spec",
          "{\"connection_string\":\"postgresql://postgres:${env:CNRY_MIRROR_PW}@127.0.0.1:"
              + TestPostgres.port()
              + "/"
              + database
              + "?sslmode=disable\"}");
      Map<String, String> jdbcMirror = source("secrets-jdbc");
      jdbcMirror.put(
          "state.mirror.jdbc.url", TestPostgres.jdbcUrl(database) + "&password=${env:CNRY_URL_PW}");
      jdbcMirror.put("state.mirror.jdbc.password", "${env:CNRY_JDBC_PW}");
      Map<String, Map<String, String>> connectors =
          Map.of("secrets-plugin", pluginMirror, "secrets-jdbc", jdbcMirror);
      connectors.forEach(worker::putConnector);
      for (String name : connectors.keySet()) {
        await()
            .alias(name + " commits a cursor (log " + worker.log() + ")")
            .atMost(Duration.ofSeconds(90))
            .until(() -> !worker.cursors(name).isEmpty());
      }

      Map<String, String> seen = new HashMap<>();
      for (String name : connectors.keySet()) {
        for (String path : List.of("config", "status", "tasks", "offsets")) {
          seen.put("GET /connectors/" + name + "/" + path, worker.body(path(name, path)));
        }
        seen.put(
            "validate " + name + " with placeholders", worker.put(VALIDATE, connectors.get(name)));
        seen.put(
            "validate " + name + " with literal secrets in PASSWORD keys",
            worker.put(VALIDATE, resolvedPasswordKeys(connectors.get(name), env)));
      }
      StringBuilder state = new StringBuilder();
      for (ConsumerRecord<byte[], byte[]> r :
          ConnectHarness.records(
              connect.kafka().bootstrapServers(), "cq_state", Duration.ofSeconds(10), false)) {
        state.append(text(r.key())).append('=').append(text(r.value())).append('\n');
      }
      seen.put("the state topic", state.toString());
      seen.put("the worker log", Files.readString(worker.log(), StandardCharsets.UTF_8));

      assertThat(seen.get("the worker log"))
          .as("the syncs ran with the secrets resolved")
          .contains("secrets-plugin", "secrets-jdbc");
      seen.forEach((where, text) -> assertThat(text).as(where).doesNotContain(CANARY));
    } finally {
      worker.kill();
    }
  }

  private static final String VALIDATE =
      "/connector-plugins/CloudQuerySourceConnector/config/validate";

  /** An incremental source whose spec, environment and mirror carry placeholders. */
  private static Map<String, String> source(String name) {
    Map<String, String> props =
        new HashMap<>(
            IncrementalResumeIT.incrementalSource(
                name, "{\"tables_file\":\"${env:CNRY_SPEC_DIR}/tables\",\"rows_per_sync\":20}"));
    props.put("name", name);
    props.put("plugin.env.CNRY_ENV", "${env:CNRY_ENV}");
    props.put("state.table.name", "cq_state_" + name.replace('-', '_'));
    return props;
  }

  private static String path(String connector, String what) {
    return "/connectors/" + connector + "/" + what;
  }

  /** The config with the PASSWORD keys' placeholders replaced by the secrets themselves. */
  private static Map<String, String> resolvedPasswordKeys(
      Map<String, String> config, Map<String, String> env) {
    Map<String, String> resolved = new HashMap<>(config);
    for (String key : List.of("plugin.spec", "state.mirror.spec", "state.mirror.jdbc.password")) {
      String value = resolved.get(key);
      if (value != null) {
        for (Map.Entry<String, String> e : env.entrySet()) {
          value = value.replace("${env:" + e.getKey() + "}", e.getValue());
        }
        resolved.put(key, value);
      }
    }
    return resolved;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }
}
