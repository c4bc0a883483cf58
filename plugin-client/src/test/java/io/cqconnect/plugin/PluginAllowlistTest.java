package io.cqconnect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginAllowlistTest {

  @TempDir Path tmp;

  @Test
  void shouldAllowEverythingWhenUnset() {
    assertThat(PluginAllowlist.parse(null).problem(Path.of("/usr/bin/env"))).isEmpty();
    assertThat(PluginAllowlist.parse(" ").problem(Path.of("/usr/bin/env"))).isEmpty();
  }

  @Test
  void shouldAllowBinariesInsideTheListedDirectories() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins/aws"));
    Path binary = Files.writeString(plugins.resolve("cq-source-aws"), "");

    PluginAllowlist allowlist = PluginAllowlist.parse("/nowhere:" + tmp.resolve("plugins"));

    assertThat(allowlist.problem(binary)).isEmpty();
    assertThat(allowlist.problem(binary.toString())).isEmpty();
    assertThat(allowlist.problem("")).isEmpty();
  }

  @Test
  void shouldRefuseBinariesOutsideEvenThroughDotDotOrASymlink() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path link = Files.createSymbolicLink(plugins.resolve("sh"), Path.of("/bin/sh"));
    PluginAllowlist allowlist = PluginAllowlist.parse(plugins.toString());

    assertThat(allowlist.problem(plugins.resolve("../../../bin/sh")))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("is outside the plugin directories this worker allows (" + plugins)
                    .contains("cq.connect.plugin.dirs or CQ_CONNECT_PLUGIN_DIRS")
                    .endsWith("ask the worker's operator to allow its directory"));
    assertThat(allowlist.problem(link)).isPresent();
  }
}
