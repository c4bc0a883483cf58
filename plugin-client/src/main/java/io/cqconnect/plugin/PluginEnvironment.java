package io.cqconnect.plugin;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment a launched plugin gets: a documented base set taken from the worker (what a
 * program needs to run, reach the network and check certificates), the worker variables the user
 * opted into ({@code plugin.env.inherit}), {@code CQ_TELEMETRY_LEVEL=none}, then {@code
 * plugin.env.*}. Nothing else of the worker's environment, where other connectors' secrets live,
 * reaches the plugin.
 */
public final class PluginEnvironment {

  /** Worker variables every plugin gets. */
  public static final Set<String> BASE =
      Set.of(
          "PATH",
          "HOME",
          "USER",
          "LOGNAME",
          "TMPDIR",
          "TZ",
          "LANG",
          "LANGUAGE",
          "JAVA_HOME",
          "http_proxy",
          "https_proxy",
          "no_proxy",
          "all_proxy",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "NO_PROXY",
          "ALL_PROXY",
          "SSL_CERT_FILE",
          "SSL_CERT_DIR",
          "REQUESTS_CA_BUNDLE",
          "CURL_CA_BUNDLE",
          "NODE_EXTRA_CA_CERTS");

  /** Worker variable prefixes every plugin gets (the locale categories). */
  public static final List<String> BASE_PREFIXES = List.of("LC_");

  private PluginEnvironment() {}

  /**
   * The plugin's environment.
   *
   * @param worker the worker's environment
   * @param inherit names, or prefixes ending in {@code *}, of further worker variables to pass on
   * @param extra {@code plugin.env.*}, set last
   */
  public static Map<String, String> of(
      Map<String, String> worker, List<String> inherit, Map<String, String> extra) {
    Map<String, String> env = new TreeMap<>();
    worker.forEach(
        (name, value) -> {
          // The JS SDK reads every CQ_* variable as a command-line option and exits on one it
          // does not know, so the worker's own CQ_* variables are never passed on.
          if (!name.startsWith("CQ_") && (isBase(name) || matches(name, inherit))) {
            env.put(name, value);
          }
        });
    env.put("CQ_TELEMETRY_LEVEL", "none");
    env.putAll(extra);
    return env;
  }

  private static boolean isBase(String name) {
    return BASE.contains(name) || BASE_PREFIXES.stream().anyMatch(name::startsWith);
  }

  private static boolean matches(String name, List<String> patterns) {
    for (String pattern : patterns) {
      String p = pattern.trim();
      if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
        return true;
      }
    }
    return false;
  }
}
