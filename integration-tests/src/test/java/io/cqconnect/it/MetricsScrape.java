package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus endpoint in the text exposition format (what the JMX exporter agent
 * serves): samples with their labels, and each metric family's {@code # TYPE} and {@code # HELP}.
 */
final class MetricsScrape {

  /** One sample line: {@code name{label="value",...} value}. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final List<Sample> samples;
  private final Map<String, String> types;
  private final Map<String, String> help;

  private MetricsScrape(List<Sample> samples, Map<String, String> types, Map<String, String> help) {
    this.samples = samples;
    this.types = types;
    this.help = help;
  }

  /** GETs {@code url} (for example {@code http://127.0.0.1:9404/metrics}) and parses it. */
  static MetricsScrape fetch(String url) throws Exception {
    HttpResponse<String> r =
        HttpJson.HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET " + url).isEqualTo(200);
    return parse(r.body());
  }

  static MetricsScrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    Map<String, String> help = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ", 2);
        types.put(parts[0], parts[1].trim());
      } else if (line.startsWith("# HELP ")) {
        String[] parts = line.substring(7).split(" ", 2);
        help.put(parts[0], parts.length > 1 ? parts[1] : "");
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Matcher m = SAMPLE.matcher(line.trim());
        if (!m.matches()) {
          throw new AssertionError("not a sample line of the text exposition format: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null) {
          Matcher l = LABEL.matcher(m.group(2));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
      }
    }
    return new MetricsScrape(samples, types, help);
  }

  /** Every sample name (what PromQL selects). */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /**
   * The value of the one sample of {@code name} whose labels include {@code labels}; fails when
   * there is none or more than one.
   */
  double value(String name, Map<String, String> labels) {
    List<Sample> found =
        samples(name).stream()
            .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    assertThat(found).as("samples of " + name + " with " + labels).hasSize(1);
    return found.get(0).value();
  }

  /**
   * The {@code # TYPE} of the family a sample name belongs to (a counter family {@code x} has
   * samples {@code x_total}).
   */
  String type(String sampleName) {
    String type = types.get(sampleName);
    if (type == null && sampleName.endsWith("_total")) {
      type = types.get(sampleName.substring(0, sampleName.length() - "_total".length()));
    }
    return type;
  }

  /** The {@code # HELP} text of a sample name's family. */
  String help(String sampleName) {
    String text = help.get(sampleName);
    if (text == null && sampleName.endsWith("_total")) {
      text = help.get(sampleName.substring(0, sampleName.length() - "_total".length()));
    }
    return text;
  }
}
