package dev.quarry.controlplane.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One scrape of {@code /metrics}, parsed from Prometheus' text format (version 0.0.4) as a
 * Prometheus server reads it: sample lines {@code name{label="value",…} number}, comments skipped.
 */
final class Scrape {
  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  final String text;
  final List<Sample> samples;

  private Scrape(String text) {
    this.text = text;
    this.samples = parse(text);
  }

  /** GETs {@code url} (with {@code token} as bearer, if not null) and parses a 200 answer. */
  static Scrape of(URI url, String token) throws Exception {
    HttpResponse<String> response = get(url, token);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + url + ": " + response.statusCode() + " " + response.body());
    }
    if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
      throw new AssertionError("not the text format: " + response.headers().map());
    }
    return new Scrape(response.body());
  }

  static HttpResponse<String> get(URI url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the one sample with this name and these labels (name, value, …), or fails. */
  double value(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    List<Sample> found =
        samples.stream().filter(s -> s.name.equals(name) && s.labels.equals(wanted)).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          found.size() + " samples " + name + wanted + " in the scrape:\n" + text);
    }
    return found.get(0).value;
  }

  /** The samples of {@code name} whose labels include these (name, value, …). */
  List<Sample> matching(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      boolean match = s.name.equals(name);
      for (int i = 0; match && i < labels.length; i += 2) {
        match = labels[i + 1].equals(s.labels.get(labels[i]));
      }
      if (match) {
        out.add(s);
      }
    }
    return out;
  }

  /** Every series name in the scrape. */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name));
    return names;
  }

  /** The label names the series {@code name} carries. */
  Set<String> labelNames(String name) {
    Set<String> labels = new TreeSet<>();
    samples.stream()
        .filter(s -> s.name.equals(name))
        .forEach(s -> labels.addAll(s.labels.keySet()));
    return labels;
  }

  private static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < line.indexOf(' ')) {
        name = line.substring(0, brace);
        int i = brace + 1;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String label = line.substring(i, eq);
          StringBuilder value = new StringBuilder();
          int j = eq + 2; // past ="
          while (line.charAt(j) != '"') {
            char c = line.charAt(j);
            if (c == '\\') {
              char next = line.charAt(++j);
              value.append(next == 'n' ? '\n' : next);
            } else {
              value.append(c);
            }
            j++;
          }
          labels.put(label, value.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        space = i + 1;
      } else {
        space = line.indexOf(' ');
        name = line.substring(0, space);
      }
      String number = line.substring(space).trim().split(" ")[0];
      double value =
          switch (number) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(number);
          };
      out.add(new Sample(name, Collections.unmodifiableMap(labels), value));
    }
    return out;
  }
}
