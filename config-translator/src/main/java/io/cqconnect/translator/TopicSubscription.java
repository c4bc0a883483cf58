package io.cqconnect.translator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The topics a sink connector consumes: the topics of every source that names its destination.
 * Explicit table lists give a {@code topics} list; glob patterns, or child tables that are not
 * known before a sync ({@code skip_dependent_tables: false}), need {@code topics.regex}.
 */
final class TopicSubscription {

  /** What one source writes: its topic prefix, table patterns and state topic. */
  record SourceTopics(
      SourceSpec source,
      String prefix,
      List<String> tables,
      List<String> skipTables,
      boolean skipDependentTables,
      String stateTopic) {

    /** Whether every table is a plain name and no child table can appear. */
    boolean explicit() {
      return skipDependentTables && tables.stream().noneMatch(TopicSubscription::isGlob);
    }

    /** Whether the pattern would match topics outside this source's prefix. */
    boolean unbounded() {
      return prefix.isEmpty()
          && (!skipDependentTables
              || tables.stream().anyMatch(t -> t.startsWith("*") || t.startsWith("?")));
    }
  }

  private final List<String> topics;
  private final String regex;

  private TopicSubscription(List<String> topics, String regex) {
    this.topics = topics;
    this.regex = regex;
  }

  /** The subscription covering {@code sources}, which must not be empty. */
  static TopicSubscription of(List<SourceTopics> sources) {
    if (sources.stream().allMatch(SourceTopics::explicit)) {
      Set<String> names = new LinkedHashSet<>();
      for (SourceTopics source : sources) {
        for (String table : source.tables()) {
          if (source.skipTables().stream().noneMatch(skip -> globMatches(skip, table))) {
            names.add(source.prefix() + table);
          }
        }
      }
      return new TopicSubscription(List.copyOf(names), null);
    }
    List<String> alternatives = new ArrayList<>();
    for (SourceTopics source : sources) {
      alternatives.add(regexOf(source));
    }
    String regex =
        alternatives.size() == 1
            ? alternatives.get(0)
            : "(?:" + String.join(")|(?:", alternatives) + ")";
    return new TopicSubscription(List.of(), regex);
  }

  /** The explicit topics; empty when {@link #regex()} is used. */
  List<String> topics() {
    return topics;
  }

  /** The {@code topics.regex} value, or {@code null} when {@link #topics()} is used. */
  String regex() {
    return regex;
  }

  static boolean isGlob(String table) {
    return table.contains("*") || table.contains("?");
  }

  static boolean globMatches(String glob, String name) {
    return Pattern.compile(globToRegex(glob)).matcher(name).matches();
  }

  private static String regexOf(SourceTopics source) {
    String prefix = escape(source.prefix());
    List<String> included = new ArrayList<>();
    if (!source.skipDependentTables()) {
      // Child table names are only known once the plugin runs: take the whole prefix.
      included.add(".*");
    } else {
      for (String table : source.tables()) {
        included.add(globToRegex(table));
      }
    }
    List<String> excluded = new ArrayList<>();
    for (String skip : source.skipTables()) {
      excluded.add(prefix + globToRegex(skip));
    }
    excluded.add(escape(source.stateTopic()));
    return "(?!(?:"
        + String.join("|", excluded)
        + ")$)"
        + prefix
        + (included.size() == 1 ? included.get(0) : "(?:" + String.join("|", included) + ")");
  }

  static String globToRegex(String glob) {
    StringBuilder out = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') {
        out.append(".*");
      } else if (c == '?') {
        out.append('.');
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    return out.toString();
  }

  private static String escape(String literal) {
    StringBuilder out = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if (Character.isLetterOrDigit(c) || c == '_') {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    return out.toString();
  }
}
