package dev.quarry.controlplane.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The price of each model ({@code conf/prices.json}), looked up by the model id a job was created
 * with: an ARN or a cross-region inference profile is priced as its foundation model.
 */
public final class PriceTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The copy of {@code conf/prices.json} the build puts in the jar. */
  static final String BUILT_IN = "/quarry/prices.json";

  // Geography prefixes of system-defined cross-region inference profiles ("us.anthropic.claude-…").
  private static final Set<String> PROFILE_PREFIXES =
      Set.of("us", "us-gov", "eu", "apac", "global", "jp", "au", "ca", "ap");

  private final Map<String, ModelPrice> prices;
  private final String asOf;

  PriceTable(Map<String, ModelPrice> prices, String asOf) {
    this.prices = Map.copyOf(prices);
    this.asOf = asOf;
  }

  /** The table in {@code file}, or the built-in one when {@code file} is {@code null}. */
  public static PriceTable load(Path file) {
    try (InputStream in =
        file == null
            ? PriceTable.class.getResourceAsStream(BUILT_IN)
            : Files.newInputStream(file)) {
      if (in == null) {
        throw new IllegalStateException(
            "The built-in price table " + BUILT_IN + " is missing from the classpath");
      }
      return parse(JSON.readTree(in), file == null ? "built-in " + BUILT_IN : file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the price table " + (file == null ? BUILT_IN : file), e);
    }
  }

  static PriceTable parse(JsonNode root, String source) {
    JsonNode models = root.path("models");
    if (!models.isObject()) {
      throw new IllegalArgumentException("Price table " + source + " has no \"models\" object");
    }
    Map<String, ModelPrice> out = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = models.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode p = e.getValue();
      try {
        out.put(
            e.getKey(),
            new ModelPrice(
                number(p, "input"),
                number(p, "output"),
                number(p, "batchInput"),
                number(p, "batchOutput")));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(
            "Price table " + source + ", model " + e.getKey() + ": " + bad.getMessage(), bad);
      }
    }
    return new PriceTable(out, root.path("asOf").asText(""));
  }

  private static BigDecimal number(JsonNode price, String field) {
    JsonNode n = price.get(field);
    if (n == null || !n.isNumber()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a number");
    }
    return n.decimalValue();
  }

  /** The price of {@code modelId}, if the table has its foundation model. */
  public Optional<ModelPrice> find(String modelId) {
    return Optional.ofNullable(prices.get(foundationModel(modelId)));
  }

  /**
   * The estimate for these tokens on {@code modelId}, if it has a price; unknown counts are none
   * yet.
   */
  public Optional<Cost> estimate(String modelId, Long inputTokens, Long outputTokens) {
    return find(modelId)
        .map(
            p ->
                Cost.of(
                    p,
                    inputTokens == null ? 0 : inputTokens,
                    outputTokens == null ? 0 : outputTokens));
  }

  /** The date the prices were taken, as the table says. */
  public String asOf() {
    return asOf;
  }

  // arn:aws:bedrock:<region>::foundation-model/<id> and …:inference-profile/<profile> name a model
  // by its id.
  static String foundationModel(String modelId) {
    String id = modelId;
    if (id.startsWith("arn:")) {
      int slash = id.indexOf('/');
      id = slash < 0 ? id : id.substring(slash + 1);
    }
    int dot = id.indexOf('.');
    if (dot > 0
        && PROFILE_PREFIXES.contains(id.substring(0, dot))
        && id.indexOf('.', dot + 1) > 0) {
      id = id.substring(dot + 1);
    }
    return id;
  }
}
