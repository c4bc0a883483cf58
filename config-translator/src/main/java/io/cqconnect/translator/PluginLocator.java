package io.cqconnect.translator;

import io.cqconnect.config.ConfigValidators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a spec's {@code registry}/{@code path}/{@code version} into what a Connect task can use: a
 * binary to launch or an address to dial.
 *
 * <ul>
 *   <li>{@code local}: {@code path} is the binary (made absolute).
 *   <li>{@code grpc}: {@code path} is the address of a running plugin.
 *   <li>{@code cloudquery} (the default): the binary {@code cloudquery plugin install} leaves at
 *       {@code <root>/.cq/plugins/<kind>/<team>/<name>/<version>/plugin}; it must exist.
 *   <li>{@code docker}, {@code github}: errors, with what to do instead.
 * </ul>
 */
final class PluginLocator {

  /** A plugin binary to launch ({@code dialed == false}) or a gRPC target to dial. */
  record Location(boolean dialed, String value) {}

  static final List<String> REGISTRIES = List.of("cloudquery", "local", "grpc", "docker", "github");

  private final Path pluginsRoot;
  private final Path baseDir;
  private final VariableExpander expander;
  private final List<String> notes;

  PluginLocator(Path pluginsRoot, Path baseDir, VariableExpander expander, List<String> notes) {
    this.pluginsRoot = pluginsRoot.toAbsolutePath().normalize();
    this.baseDir = baseDir.toAbsolutePath().normalize();
    this.expander = expander;
    this.notes = notes;
  }

  /**
   * Locates the plugin of {@code doc}; {@code null} (with errors added) when it cannot be used.
   *
   * @param registry the registry as written, {@code null} when absent
   * @param path the path as written (required, non-empty)
   * @param version the version as written, {@code null} when absent
   */
  Location locate(
      SpecDocument doc, String registry, String path, String version, List<SpecError> errors) {
    String effective = registry == null || registry.isEmpty() ? "cloudquery" : registry;
    switch (effective) {
      case "local" -> {
        return local(doc, path, errors);
      }
      case "grpc" -> {
        return grpc(doc, path, errors);
      }
      case "cloudquery" -> {
        return hub(doc, path, version, errors);
      }
      case "docker" -> {
        errors.add(
            doc.error(
                "registry",
                "docker is not supported in Connect: run the image yourself and use registry:"
                    + " grpc with the address it listens on"));
        return null;
      }
      case "github" -> {
        errors.add(
            doc.error(
                "registry",
                "github is deprecated and not supported: put the plugin binary on every worker"
                    + " and use registry: local with its path"));
        return null;
      }
      default -> {
        errors.add(
            doc.error(
                "registry",
                "unknown registry '"
                    + registry
                    + "'; valid registries are "
                    + String.join(", ", REGISTRIES)));
        return null;
      }
    }
  }

  private Location local(SpecDocument doc, String path, List<SpecError> errors) {
    String expanded = expander.inline(doc, "path", path, errors);
    if (expanded == null) {
      return null;
    }
    if (expanded.contains("${")) {
      return new Location(false, expanded);
    }
    Path binary = baseDir.resolve(expanded).normalize();
    if (!Path.of(expanded).isAbsolute()) {
      notes.add(
          doc.note(
              "path",
              "relative path '"
                  + expanded
                  + "' made absolute: "
                  + binary
                  + " (workers need it there)"));
    }
    if (!Files.isRegularFile(binary)) {
      notes.add(
          doc.note(
              "path",
              binary + " is not a file on this machine; it must exist on every Connect worker"));
    }
    return new Location(false, binary.toString());
  }

  private Location grpc(SpecDocument doc, String path, List<SpecError> errors) {
    String expanded = expander.inline(doc, "path", path, errors);
    if (expanded == null) {
      return null;
    }
    if (!expanded.contains("${")) {
      String problem = ConfigValidators.grpcTargetProblem(expanded);
      if (problem != null) {
        errors.add(doc.error("path", "'" + expanded + "' for registry grpc: " + problem));
        return null;
      }
    }
    return new Location(true, expanded);
  }

  private Location hub(SpecDocument doc, String path, String version, List<SpecError> errors) {
    if (path.contains("${") || (version != null && version.contains("${"))) {
      errors.add(
          doc.error(
              "path",
              "variables in path or version cannot be used with registry cloudquery: the"
                  + " installed binary is located when translating"));
      return null;
    }
    String[] parts = path.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      errors.add(
          doc.error(
              "path",
              "'" + path + "' must be <team>/<name> for registry cloudquery, e.g. cloudquery/aws"));
      return null;
    }
    if (version == null || version.isEmpty()) {
      errors.add(doc.error("version", "required for registry cloudquery, e.g. v1.2.3"));
      return null;
    }
    if (!version.startsWith("v")) {
      errors.add(doc.error("version", "'" + version + "' must start with v, e.g. v" + version));
      return null;
    }
    Path binary =
        pluginsRoot
            .resolve(".cq")
            .resolve("plugins")
            .resolve(doc.kind())
            .resolve(parts[0])
            .resolve(parts[1])
            .resolve(version)
            .resolve("plugin");
    if (!Files.isRegularFile(binary)) {
      errors.add(
          doc.error(
              "path",
              "plugin "
                  + path
                  + " "
                  + version
                  + " is not installed: "
                  + binary
                  + " does not exist. Run 'cloudquery plugin install <spec file>' in "
                  + pluginsRoot
                  + " (or pass --plugins-root), or use registry: local with the path of the"
                  + " plugin binary, or registry: grpc with the address of a running plugin"));
      return null;
    }
    notes.add(
        doc.note(
            "registry",
            "cloudquery mapped to the installed binary "
                + binary
                + "; it must exist at that path on every Connect worker"));
    return new Location(false, binary.toString());
  }
}
