package io.cqconnect.translator;

import java.nio.file.Path;

/**
 * Settings of a translation.
 *
 * @param pluginsRoot the directory holding {@code .cq/plugins} (where {@code cloudquery plugin
 *     install} put the binaries of {@code registry: cloudquery})
 * @param baseDir the directory relative {@code path}s and {@code ${file:...}} paths are resolved
 *     against (the CLI uses its working directory)
 * @param topicPrefix the {@code topic.prefix} of every source connector; {@code {source}} in it is
 *     replaced by the source name, e.g. {@code {source}.} gives {@code aws.}
 */
public record TranslatorOptions(Path pluginsRoot, Path baseDir, String topicPrefix) {

  /** Plugins root and base directory are the working directory; no topic prefix. */
  public static TranslatorOptions defaults() {
    Path cwd = Path.of("").toAbsolutePath();
    return new TranslatorOptions(cwd, cwd, "");
  }

  /** A copy with another plugins root. */
  public TranslatorOptions withPluginsRoot(Path root) {
    return new TranslatorOptions(root, baseDir, topicPrefix);
  }

  /** A copy with another base directory. */
  public TranslatorOptions withBaseDir(Path dir) {
    return new TranslatorOptions(pluginsRoot, dir, topicPrefix);
  }

  /** A copy with another topic prefix. */
  public TranslatorOptions withTopicPrefix(String prefix) {
    return new TranslatorOptions(pluginsRoot, baseDir, prefix);
  }

  /** The topic prefix of source {@code sourceName}. */
  public String topicPrefixFor(String sourceName) {
    return topicPrefix.replace("{source}", sourceName);
  }
}
