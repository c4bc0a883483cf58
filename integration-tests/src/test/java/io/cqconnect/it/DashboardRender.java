package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.distribution.testing.LocalKafka;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A screenshot of docker/grafana/render/render.html (the dashboard's queries drawn as SVG, not
 * Grafana) against a running Prometheus, taken with headless Chromium from Debian's package. Used
 * by {@link PrometheusChecks} when {@code -Dcq.dashboard.screenshot=<png>} is set (see
 * docker/grafana/render/render.sh).
 */
final class DashboardRender {

  private DashboardRender() {}

  static void screenshot(String prometheusUrl, Path png, Path work) throws Exception {
    String chromium =
        LocalPrometheus.which("chromium")
            .or(() -> LocalPrometheus.which("chromium-browser"))
            .orElseThrow(() -> new AssertionError("no chromium on PATH: apt-get install chromium"))
            .toString();
    long range = Long.getLong("cq.dashboard.range.s", 600);
    Path html = LocalKafka.repoDir().resolve("docker/grafana/render/render.html");
    String url =
        html.toUri()
            + "?prom="
            + URLEncoder.encode(prometheusUrl, StandardCharsets.UTF_8)
            + "&range="
            + range;
    Path absolute = png.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Files.deleteIfExists(absolute);
    Path log = work.resolve("chromium.log");
    Process p =
        new ProcessBuilder(
                List.of(
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--allow-file-access-from-files",
                    "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile")),
                    "--window-size=1400,2330",
                    "--virtual-time-budget=20000",
                    "--screenshot=" + absolute,
                    url))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished; log " + log).isTrue();
    assertThat(absolute).as("screenshot written by chromium; log " + log).isRegularFile();
  }
}
