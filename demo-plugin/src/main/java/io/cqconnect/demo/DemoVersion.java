package io.cqconnect.demo;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The plugin version reported by {@code GetVersion}: the Maven project version, as {@code v...}.
 */
final class DemoVersion {

  private static final String VERSION = load();

  private DemoVersion() {}

  static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = DemoVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "v0.0.0-unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return "v" + p.getProperty("version", "0.0.0-unknown");
    } catch (IOException e) {
      return "v0.0.0-unknown";
    }
  }
}
