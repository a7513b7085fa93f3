package dev.quarry.emulator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON config format into an {@link EmulatorConfig}. Strict about names (a typo in a key
 * is an error, not a silently ignored setting) but lenient about comments: {@code //} and {@code /*
 * *}{@code /} comments and keys starting with {@code _} are ignored, so a config file can document
 * itself.
 */
final class EmulatorConfigReader {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  private static final Set<String> TOP_KEYS =
      Set.of("seed", "countBodies", "credentials", "defaults", "models");
  private static final Set<String> BEHAVIOR_KEYS = Set.of("latency", "limits", "faults");
  private static final Set<String> LATENCY_KEYS =
      Set.of("fixedMs", "medianMs", "p99Ms", "perOutputTokenMs", "maxMs", "minMs");
  private static final Set<String> LIMIT_KEYS =
      Set.of(
          "requestsPerMinute",
          "tokensPerMinute",
          "requestBurst",
          "tokenBurst",
          "outputTokenReservationCap");
  private static final Set<String> FAULT_KEYS =
      Set.of(
          "internalServerError",
          "serviceUnavailable",
          "modelTimeout",
          "modelError",
          "droppedConnection");

  private EmulatorConfigReader() {}

  static EmulatorConfig read(Path file) throws IOException {
    String text = Files.readString(file);
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static EmulatorConfig parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "emulator config is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("emulator config must be a JSON object");
    }
    checkKeys(root, "", TOP_KEYS);
    EmulatorConfig.Builder config = EmulatorConfig.builder();
    JsonNode seed = root.get("seed");
    if (seed != null && !seed.isNull()) {
      if (!seed.canConvertToLong() || !seed.isIntegralNumber()) {
        throw new IllegalArgumentException("seed must be an integer or null");
      }
      config.seed(seed.asLong());
    }
    JsonNode countBodies = root.get("countBodies");
    if (countBodies != null && !countBodies.isNull()) {
      config.countBodies(bool(countBodies, "countBodies"));
    }
    JsonNode credentials = root.get("credentials");
    if (credentials != null && !credentials.isNull()) {
      if (!credentials.isObject()) {
        throw new IllegalArgumentException(
            "credentials must be an object of access key id to secret key");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = credentials.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getKey().startsWith("_")) {
          continue;
        }
        if (!entry.getValue().isTextual()) {
          throw new IllegalArgumentException(
              "credentials." + entry.getKey() + " must be a string (the " + "secret key)");
        }
        config.credential(entry.getKey(), entry.getValue().textValue());
      }
    }
    ModelBehavior defaults = behavior(root.get("defaults"), "defaults", ModelBehavior.defaults());
    config.defaultBehavior(defaults);
    JsonNode models = root.get("models");
    if (models != null && !models.isNull()) {
      if (!models.isObject()) {
        throw new IllegalArgumentException("models must be an object keyed by model id");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getKey().startsWith("_")) {
          continue;
        }
        String path = "models." + entry.getKey();
        config.model(entry.getKey(), behavior(entry.getValue(), path, defaults));
      }
    }
    return config.build();
  }

  // Each section given for a model overrides the default field by field, so a model entry can
  // change one limit.
  private static ModelBehavior behavior(JsonNode node, String path, ModelBehavior base) {
    if (node == null || node.isNull()) {
      return base;
    }
    requireObject(node, path);
    checkKeys(node, path, BEHAVIOR_KEYS);
    try {
      return base.toBuilder()
          .latency(latency(node.get("latency"), path + ".latency", base.latency()))
          .limits(limits(node.get("limits"), path + ".limits", base.limits()))
          .faults(faults(node.get("faults"), path + ".faults", base.faults()))
          .build();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(path)) {
        throw e;
      }
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  private static LatencyProfile latency(JsonNode node, String path, LatencyProfile base) {
    if (node == null || node.isNull()) {
      return base;
    }
    requireObject(node, path);
    checkKeys(node, path, LATENCY_KEYS);
    LatencyProfile.Builder b = base.toBuilder();
    boolean hasMedian = node.hasNonNull("medianMs");
    boolean hasP99 = node.hasNonNull("p99Ms");
    if (hasMedian != hasP99) {
      throw new IllegalArgumentException(path + ": medianMs and p99Ms must be given together");
    }
    if (node.hasNonNull("fixedMs")) {
      if (hasMedian) {
        throw new IllegalArgumentException(
            path + ": give either fixedMs or medianMs/p99Ms, not both");
      }
      b.fixed(Duration.ofMillis(longValue(node.get("fixedMs"), path + ".fixedMs")));
    }
    if (hasMedian) {
      b.logNormal(
          Duration.ofMillis(longValue(node.get("medianMs"), path + ".medianMs")),
          Duration.ofMillis(longValue(node.get("p99Ms"), path + ".p99Ms")));
    }
    if (node.hasNonNull("perOutputTokenMs")) {
      b.perOutputTokenMillis(number(node.get("perOutputTokenMs"), path + ".perOutputTokenMs"));
    }
    if (node.hasNonNull("maxMs")) {
      b.max(Duration.ofMillis(longValue(node.get("maxMs"), path + ".maxMs")));
    }
    if (node.hasNonNull("minMs")) {
      b.min(Duration.ofMillis(longValue(node.get("minMs"), path + ".minMs")));
    }
    return b.build();
  }

  private static RateLimits limits(JsonNode node, String path, RateLimits base) {
    if (node == null || node.isNull()) {
      return base;
    }
    requireObject(node, path);
    checkKeys(node, path, LIMIT_KEYS);
    RateLimits.Builder b = base.toBuilder();
    if (node.hasNonNull("requestsPerMinute")) {
      b.requestsPerMinute(longValue(node.get("requestsPerMinute"), path + ".requestsPerMinute"));
    }
    if (node.hasNonNull("tokensPerMinute")) {
      b.tokensPerMinute(longValue(node.get("tokensPerMinute"), path + ".tokensPerMinute"));
    }
    if (node.hasNonNull("requestBurst")) {
      b.requestBurst(longValue(node.get("requestBurst"), path + ".requestBurst"));
    }
    if (node.hasNonNull("tokenBurst")) {
      b.tokenBurst(longValue(node.get("tokenBurst"), path + ".tokenBurst"));
    }
    if (node.hasNonNull("outputTokenReservationCap")) {
      b.outputTokenReservationCap(
          (int)
              longValue(
                  node.get("outputTokenReservationCap"), path + ".outputTokenReservationCap"));
    }
    return b.build();
  }

  private static FaultRates faults(JsonNode node, String path, FaultRates base) {
    if (node == null || node.isNull()) {
      return base;
    }
    requireObject(node, path);
    checkKeys(node, path, FAULT_KEYS);
    FaultRates.Builder b = base.toBuilder();
    if (node.hasNonNull("internalServerError")) {
      b.internalServerError(number(node.get("internalServerError"), path + ".internalServerError"));
    }
    if (node.hasNonNull("serviceUnavailable")) {
      b.serviceUnavailable(number(node.get("serviceUnavailable"), path + ".serviceUnavailable"));
    }
    if (node.hasNonNull("modelTimeout")) {
      b.modelTimeout(number(node.get("modelTimeout"), path + ".modelTimeout"));
    }
    if (node.hasNonNull("modelError")) {
      b.modelError(number(node.get("modelError"), path + ".modelError"));
    }
    if (node.hasNonNull("droppedConnection")) {
      b.droppedConnection(number(node.get("droppedConnection"), path + ".droppedConnection"));
    }
    return b.build();
  }

  private static void requireObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + " must be an object");
    }
  }

  private static void checkKeys(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.startsWith("_") && !allowed.contains(key)) {
        String where = path.isEmpty() ? key : path + "." + key;
        throw new IllegalArgumentException(
            "unknown setting " + where + " (known: " + allowed + ")");
      }
    }
  }

  private static long longValue(JsonNode node, String path) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IllegalArgumentException(path + " must be an integer, got " + node);
    }
    return node.asLong();
  }

  private static double number(JsonNode node, String path) {
    if (!node.isNumber()) {
      throw new IllegalArgumentException(path + " must be a number, got " + node);
    }
    return node.asDouble();
  }

  private static boolean bool(JsonNode node, String path) {
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(path + " must be true or false, got " + node);
    }
    return node.asBoolean();
  }
}
