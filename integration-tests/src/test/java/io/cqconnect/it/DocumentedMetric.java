package io.cqconnect.it;

import io.cqconnect.distribution.testing.LocalKafka;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One attribute of docs/metrics.md: its domain, type and tags (from the section's object name), and
 * the documented Prometheus name (the naming rule written there and in jmx-exporter.yml).
 */
record DocumentedMetric(
    String domain, String type, Set<String> tags, String attribute, String description) {

  boolean sink() {
    return type.startsWith("sink-");
  }

  /** {@code <domain>_<type without -metrics>_<attribute>}, dots and dashes as underscores. */
  String prometheusName() {
    String t = type.endsWith("-metrics") ? type.substring(0, type.length() - 8) : type;
    return (domain + "_" + t + "_" + attribute).replaceAll("[^a-zA-Z0-9_]", "_");
  }

  static List<DocumentedMetric> read() throws Exception {
    List<DocumentedMetric> out = new ArrayList<>();
    String domain = null;
    String type = null;
    Set<String> tags = null;
    for (String line : Files.readAllLines(LocalKafka.repoDir().resolve("docs/metrics.md"))) {
      if (line.startsWith("### `") && line.endsWith("`")) {
        String objectName = line.substring(5, line.length() - 1);
        domain = objectName.substring(0, objectName.indexOf(':'));
        tags = new TreeSet<>();
        for (String kv : objectName.substring(objectName.indexOf(':') + 1).split(",")) {
          String[] p = kv.split("=", 2);
          if (p[0].equals("type")) {
            type = p[1];
          } else {
            tags.add(p[0]);
          }
        }
      } else if (line.startsWith("## ")) {
        type = null;
      } else if (type != null && line.startsWith("| `")) {
        String[] cells = line.split("\\|");
        out.add(
            new DocumentedMetric(
                domain, type, tags, cells[1].trim().replace("`", ""), cells[2].trim()));
      }
    }
    return out;
  }
}
