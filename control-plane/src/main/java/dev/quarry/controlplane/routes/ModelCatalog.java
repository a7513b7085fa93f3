package dev.quarry.controlplane.routes;

import dev.quarry.job.model.InvokeBodyFamily;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.ModelProvider;
import dev.quarry.job.spec.ModelRoute;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which provider answers each model id: the {@code quarry.route.<name>.*} entries of {@code
 * conf/quarry.properties}. A model id matches an entry that lists it exactly, else the entry with
 * the longest matching prefix pattern ({@code meta-llama/*}); a model no entry takes goes to
 * Bedrock.
 *
 * @param entries the entries, by name
 */
public record ModelCatalog(List<RouteEntry> entries) {
  /** The keys an entry may have, after {@code quarry.route.<name>.}. */
  static final Set<String> KEYS =
      Set.of(
          "models",
          "provider",
          "base-url",
          "api-key",
          "upstream-model",
          "invoke-family",
          "requests-per-minute",
          "tokens-per-minute",
          "max-concurrency",
          "max-share");

  /** No entries: every model goes to Bedrock. */
  public static final ModelCatalog EMPTY = new ModelCatalog(List.of());

  public ModelCatalog {
    entries = List.copyOf(entries);
    Map<String, String> owner = new HashMap<>();
    for (RouteEntry e : entries) {
      for (String model : e.models()) {
        String earlier = owner.putIfAbsent(model, e.name());
        if (earlier != null) {
          throw new IllegalArgumentException(
              "Model "
                  + model
                  + " is listed by both quarry.route."
                  + earlier
                  + " and quarry.route."
                  + e.name());
        }
      }
    }
  }

  /**
   * Parses the settings under {@code quarry.route.}, keyed by {@code <name>.<key>}.
   *
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public static ModelCatalog parse(Map<String, String> settings) {
    Map<String, Map<String, String>> byName = new TreeMap<>();
    settings.forEach(
        (rest, value) -> {
          int dot = rest.indexOf('.');
          String key = dot < 0 ? "" : rest.substring(dot + 1);
          if (dot <= 0 || !KEYS.contains(key)) {
            throw new IllegalArgumentException(
                "Unknown setting quarry.route."
                    + rest
                    + "; a route takes "
                    + String.join(", ", new TreeSet<>(KEYS)));
          }
          byName
              .computeIfAbsent(rest.substring(0, dot), n -> new HashMap<>())
              .put(key, value.strip());
        });
    List<RouteEntry> entries = new ArrayList<>();
    byName.forEach((name, s) -> entries.add(entry(name, s)));
    return new ModelCatalog(entries);
  }

  private static RouteEntry entry(String name, Map<String, String> s) {
    String prefix = "quarry.route." + name + ".";
    String models = s.get("models");
    if (models == null || models.isBlank()) {
      throw new IllegalArgumentException(prefix + "models is required");
    }
    ModelProvider provider;
    try {
      provider = ModelProvider.fromConfigName(s.getOrDefault("provider", "bedrock"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + "provider: " + e.getMessage(), e);
    }
    try {
      String key = blankToNull(s.get("api-key"));
      return new RouteEntry(
          name,
          Arrays.asList(models.split("\\s*,\\s*")),
          provider,
          blankToNull(s.get("base-url")),
          key == null ? null : SecretRef.parse(key),
          blankToNull(s.get("upstream-model")),
          blankToNull(s.get("invoke-family")),
          new RouteBudgets(
              integer(s, "requests-per-minute", prefix),
              number(s, "tokens-per-minute", prefix),
              integer(s, "max-concurrency", prefix),
              fraction(s, "max-share", prefix)));
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + "*: " + e.getMessage(), e);
    }
  }

  /** The entry that takes {@code modelId}, if any. */
  public Optional<RouteEntry> entryFor(String modelId) {
    RouteEntry best = null;
    int bestLength = -1;
    for (RouteEntry e : entries) {
      for (String pattern : e.models()) {
        if (pattern.equals(modelId)) {
          return Optional.of(e);
        }
        if (pattern.endsWith("*")
            && modelId.startsWith(pattern.substring(0, pattern.length() - 1))
            && pattern.length() > bestLength) {
          best = e;
          bestLength = pattern.length();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The route a job on {@code modelId} takes: its entry's, else Bedrock. */
  public ModelRoute routeFor(String modelId) {
    return entryFor(modelId).map(e -> e.toModelRoute(modelId)).orElse(ModelRoute.bedrock());
  }

  /**
   * Why an InvokeModel job on {@code modelId} cannot be translated for its route, if it cannot: the
   * route is OpenAI-compatible and neither it nor the model id names a body family Quarry
   * translates.
   */
  public Optional<String> invokeModelRefusal(String modelId) {
    return entryFor(modelId)
        .filter(e -> !e.translatesInvokeModel(modelId))
        .map(
            e ->
                "Model "
                    + modelId
                    + " goes to the OpenAI-compatible route "
                    + e.name()
                    + ", and its InvokeModel body family is unknown: set"
                    + " quarry.route."
                    + e.name()
                    + ".invoke-family to one of "
                    + InvokeBodyFamily.names()
                    + ", or use modelInvocationType Converse");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Integer integer(Map<String, String> s, String key, String prefix) {
    Long n = number(s, key, prefix);
    return n == null ? null : Math.toIntExact(n);
  }

  private static Double fraction(Map<String, String> s, String key, String prefix) {
    String value = blankToNull(s.get(key));
    if (value == null) {
      return null;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(prefix + key + " must be a number, was " + value);
    }
  }

  private static Long number(Map<String, String> s, String key, String prefix) {
    String value = blankToNull(s.get(key));
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(prefix + key + " must be a number, was " + value);
    }
  }
}
