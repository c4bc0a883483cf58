package io.cqconnect.benchmark;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CloudQuery CLI ({@code fixtures/bin/cloudquery}) syncing the test source into a local
 * destination plugin ({@code registry: local}); its process wall clock is the measure.
 */
final class CliPath {

  private CliPath() {}

  /**
   * {@code cloudquery sync} of {@code w} into destination {@code dest} with {@code destSpec}; with
   * the CPU of the CLI and its plugins and of the idle worker ({@code workerPid}) and broker.
   */
  static ResultTable.Line run(
      String label, Workload w, String dest, String destSpec, Path work, long workerPid)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve("cli-" + dest));
    Path spec = dir.resolve("spec.yml");
    String template;
    try (java.io.InputStream in = CliPath.class.getResourceAsStream("/benchmark/cli-spec.yml")) {
      template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Files.writeString(
        spec,
        template
            .replace("{{SOURCE}}", Fixtures.binary(Fixtures.SOURCE_TEST).toString())
            .replace("{{SOURCE_SPEC}}", w.specJson())
            .replace("{{DEST}}", Fixtures.binary(dest).toString())
            .replace("{{DEST_SPEC}}", destSpec));
    Path log = dir.resolve("cli.log");
    List<String> command =
        List.of(
            Fixtures.binary("cloudquery").toString(),
            "sync",
            spec.toString(),
            "--no-log-file",
            "--log-console",
            "--telemetry-level",
            "none");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("CQ_TELEMETRY_LEVEL", "none");
    CpuMeter cpu = CpuMeter.start(workerPid);
    long started = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("cloudquery sync " + spec + " ran over 30 min; log " + log);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    CpuMeter.Usage usage = cpu.stop();
    String out = Files.readString(log);
    if (p.exitValue() != 0 || !out.contains("Sync completed successfully")) {
      throw new IllegalStateException(
          "cloudquery sync " + spec + " failed (exit " + p.exitValue() + "); see " + log);
    }
    return new ResultTable.Line(label, w.rows(), seconds, "CLI process wall clock").withCpu(usage);
  }
}
