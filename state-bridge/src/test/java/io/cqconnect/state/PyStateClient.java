package io.cqconnect.state;

import io.cqconnect.plugin.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Python SDK's real state client ({@code fixtures/python/state_client.py} behind the {@code
 * cq-py-state-client} launcher) as one process per command, against one backend and state table.
 * Each command builds a new client, which migrates the table and reads all of it, as a plugin's
 * sync does.
 */
final class PyStateClient {

  /** The script's exit code for a key that is not in the table. */
  private static final int EXIT_ABSENT = 3;

  private static final long TIMEOUT_SECONDS = 60;

  private final String connection;
  private final String table;
  private final Path workDir;

  /**
   * A client of state table {@code table} at gRPC target {@code connection} ({@code host:port} or
   * {@code unix:///path}); process output files go to {@code workDir}.
   */
  PyStateClient(String connection, String table, Path workDir) {
    this.connection = connection;
    this.table = table;
    this.workDir = workDir;
  }

  /** {@code get KEY}: the stored value, or empty if the table has no such key. */
  Optional<String> get(String key) {
    Result r = run("get", key);
    if (r.exit() == EXIT_ABSENT) {
      return Optional.empty();
    }
    r.requireSuccess();
    return Optional.of(r.stdout().strip());
  }

  /** {@code set KEY VALUE}: set_key then flush; returns once the backend answered the Write. */
  void set(String key, String value) {
    run("set", key, value).requireSuccess();
  }

  private record Result(List<String> command, int exit, String stdout, String stderr) {
    void requireSuccess() {
      if (exit != 0) {
        throw new AssertionError(
            "Python state client "
                + command
                + " exited with "
                + exit
                + "\nstdout: "
                + stdout
                + "\nstderr: "
                + stderr);
      }
    }
  }

  private Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Fixtures.binary(Fixtures.PY_STATE_CLIENT).toString());
    command.addAll(List.of("--connection", connection, "--table", table));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(workDir, "py-state-", ".out");
      Path err = Files.createTempFile(workDir, "py-state-", ".err");
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "Python state client "
                + command
                + " did not finish within "
                + TIMEOUT_SECONDS
                + " s; stderr so far: "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(
          command,
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the Python state client " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }
}
