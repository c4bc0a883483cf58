package io.cqconnect.it;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, found by removing what is not a metric name: string
 * literals, label matchers ({@code {...}}), ranges ({@code [...]}), grouping clauses ({@code by
 * (...)}, {@code on (...)}, ...), {@code offset} durations, numbers, Grafana variables ({@code
 * $connector}), then every identifier followed by {@code (} (a function or aggregation) and the
 * operator keywords. Enough for the dashboard's and the alert rules' expressions; not a full parser
 * (a selector written as {@code {__name__="x"}} is not seen).
 */
final class PromQlNames {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "offset",
          "bool",
          "inf",
          "nan");

  private PromQlNames() {}

  static Set<String> of(String expr) {
    String s = expr;
    s = s.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", " ");
    s = s.replaceAll("\\{[^}]*}", " ");
    s = s.replaceAll("\\[[^]]*]", " ");
    s = s.replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    s = s.replaceAll("(?i)\\boffset\\s+-?\\S+", " ");
    s = s.replaceAll("\\$\\{?\\w+}?", " ");
    s = s.replaceAll("(?<![a-zA-Z0-9_:])\\d+(\\.\\d+)?([eE][+-]?\\d+)?", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String rest = s.substring(m.end()).stripLeading();
      if (!rest.startsWith("(") && !KEYWORDS.contains(m.group().toLowerCase())) {
        names.add(m.group());
      }
    }
    return names;
  }
}
