package io.cqconnect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SpecTemplateTest {

  @Test
  void shouldSendNullWhenSpecIsEmpty() {
    assertThat(SpecTemplate.resolve("plugin.spec", "", Map.of(), "plugin.spec.var."))
        .isEqualTo("null");
    assertThat(SpecTemplate.resolve("plugin.spec", "null", Map.of(), "plugin.spec.var."))
        .isEqualTo("null");
  }

  @Test
  void shouldLeaveConnectPlaceholdersAndKeysAloneWhenResolving() {
    String resolved =
        SpecTemplate.resolve(
            "plugin.spec",
            "{\"${A}\": \"${A}-${A}\", \"n\": 1, \"list\": [\"${B}\", true]}",
            Map.of("A", "x", "B", "$1 \\ y"),
            "plugin.spec.var.");

    assertThat(resolved).isEqualTo("{\"${A}\":\"x-x\",\"n\":1,\"list\":[\"$1 \\\\ y\",true]}");
  }

  @Test
  void shouldNotResolveRecursivelyWhenValueLooksLikeReference() {
    String resolved =
        SpecTemplate.resolve(
            "plugin.spec", "{\"a\":\"${A}\"}", Map.of("A", "${B}", "B", "no"), "plugin.spec.var.");

    assertThat(resolved).isEqualTo("{\"a\":\"${B}\"}");
  }

  @Test
  void shouldNameMissingVariableWhenResolving() {
    assertThatThrownBy(
            () ->
                SpecTemplate.resolve(
                    "state.mirror.spec", "{\"a\":\"${A}\"}", Map.of(), "state.mirror.spec.var."))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "state.mirror.spec references ${A} but state.mirror.spec.var.A is not set; set it, for"
                + " example to ${env:NAME} (worker config.providers=env)");
  }
}
