package io.cqconnect.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories a worker operator allows plugin binaries to run from. A connector config comes
 * over Connect's REST API, and {@code plugin.path} runs any executable, so without a limit REST
 * access is code execution on the worker. The operator sets the system property {@value #PROPERTY}
 * or the environment variable {@value #ENV} (a {@code :}-separated list of directories); a binary
 * outside them (after resolving symbolic links and {@code ..}) is refused at validate and at
 * launch. Unset, every path is allowed, as before.
 */
public final class PluginAllowlist {

  /** System property naming the allowed directories (wins over {@link #ENV}). */
  public static final String PROPERTY = "cq.connect.plugin.dirs";

  /** Environment variable naming the allowed directories. */
  public static final String ENV = "CQ_CONNECT_PLUGIN_DIRS";

  private final List<Path> dirs;

  private PluginAllowlist(List<Path> dirs) {
    this.dirs = dirs;
  }

  /** The worker's allowlist, read from {@link #PROPERTY} or {@link #ENV}. */
  public static PluginAllowlist fromWorker() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(ENV);
    }
    return parse(value);
  }

  /** The allowlist a {@code :}-separated value names; blank or null allows everything. */
  static PluginAllowlist parse(String value) {
    List<Path> dirs = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(":")) {
        if (!part.isBlank()) {
          dirs.add(realOrNormal(Path.of(part.trim())));
        }
      }
    }
    return new PluginAllowlist(List.copyOf(dirs));
  }

  /** Why the binary a config key names may not run; empty when it may or the key is blank. */
  public Optional<String> problem(String binary) {
    return binary == null || binary.isBlank() ? Optional.empty() : problem(Path.of(binary.trim()));
  }

  /** Why {@code binary} may not run, or empty when it may. */
  public Optional<String> problem(Path binary) {
    if (dirs.isEmpty()) {
      return Optional.empty();
    }
    Path real = realOrNormal(binary);
    for (Path dir : dirs) {
      if (real.startsWith(dir)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "Plugin binary "
            + binary
            + (real.equals(binary) ? "" : " (" + real + ")")
            + " is outside the plugin directories this worker allows ("
            + String.join(":", dirs.stream().map(Path::toString).toList())
            + ", set by "
            + PROPERTY
            + " or "
            + ENV
            + "); install the plugin there or ask the worker's operator to allow its directory");
  }

  private static Path realOrNormal(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
