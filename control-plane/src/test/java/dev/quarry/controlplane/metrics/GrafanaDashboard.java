package dev.quarry.controlplane.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL of a Grafana dashboard: panel targets and template-variable queries. */
final class GrafanaDashboard {
  private static final Pattern SELECTOR =
      Pattern.compile("\\b(quarry_[a-zA-Z0-9_]+)\\s*(\\{([^}]*)\\})?");
  private static final Pattern MATCHER_LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "label_values\\(\\s*[a-zA-Z0-9_]+(\\{[^}]*\\})?\\s*,\\s*([a-zA-Z0-9_]+)\\s*\\)");

  /** A series an expression reads, and the labels it matches on. */
  record Selector(String series, Set<String> labels) {}

  private final List<String> expressions;

  private GrafanaDashboard(List<String> expressions) {
    this.expressions = List.copyOf(expressions);
  }

  static GrafanaDashboard read(Path file) throws Exception {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<String> out = new ArrayList<>();
    collectPanels(root.path("panels"), out);
    for (JsonNode variable : root.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode query = variable.path("query");
        out.add(query.isTextual() ? query.asText() : query.path("query").asText());
      }
    }
    return new GrafanaDashboard(out);
  }

  private static void collectPanels(JsonNode panels, List<String> out) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        out.add(target.path("expr").asText());
      }
      collectPanels(panel.path("panels"), out); // rows may hold their panels
    }
  }

  List<String> expressions() {
    return expressions;
  }

  /** The Quarry series {@code expression} reads, with the labels of its matchers. */
  static List<Selector> selectors(String expression) {
    List<Selector> out = new ArrayList<>();
    Matcher m = SELECTOR.matcher(expression);
    while (m.find()) {
      Set<String> labels = new LinkedHashSet<>();
      if (m.group(3) != null) {
        Matcher l = MATCHER_LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
      out.add(new Selector(m.group(1), labels));
    }
    return out;
  }

  /** The labels {@code expression} groups by ({@code by (…)}) or asks the values of. */
  static Set<String> groupingLabels(String expression) {
    Set<String> out = new LinkedHashSet<>();
    Matcher by = BY.matcher(expression);
    while (by.find()) {
      for (String label : by.group(1).split(",")) {
        if (!label.isBlank()) {
          out.add(label.strip());
        }
      }
    }
    Matcher values = LABEL_VALUES.matcher(expression);
    while (values.find()) {
      out.add(values.group(2));
    }
    return out;
  }
}
