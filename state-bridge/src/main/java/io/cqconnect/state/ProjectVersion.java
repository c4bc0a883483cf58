package io.cqconnect.state;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The cq-connect version, from a resource Maven fills in at build time. */
final class ProjectVersion {

  private static final String VERSION = load();

  private ProjectVersion() {}

  /** The project version, or {@code "unknown"} when the resource is missing. */
  static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = ProjectVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
