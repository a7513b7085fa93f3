package dev.quarry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;

/**
 * The demo job's estimated cost: the manifest's token counts at the model's prices in {@code
 * conf/prices.json} (USD per 1,000 tokens), on demand and as a Bedrock batch job.
 */
final class DemoCost {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private DemoCost() {}

  /** One summary line, or a line saying why there is no estimate. */
  static String line(Path prices, String model, JsonNode manifest) throws IOException {
    JsonNode table = new ObjectMapper().readTree(prices.toFile());
    JsonNode price = table.path("models").path(model);
    long in = manifest.path("inputTokenCount").asLong();
    long out = manifest.path("outputTokenCount").asLong();
    if (price.isMissingNode()) {
      return "estimated cost: no price for " + model + " in " + prices;
    }
    BigDecimal onDemand = cost(in, price.path("input")).add(cost(out, price.path("output")));
    BigDecimal batch = cost(in, price.path("batchInput")).add(cost(out, price.path("batchOutput")));
    return String.format(
        "estimated cost: $%.5f on demand ($%.5f as a Bedrock batch job) for %,d input and %,d "
            + "output tokens (prices of %s, %s)",
        onDemand, batch, in, out, table.path("asOf").asText("?"), prices);
  }

  private static BigDecimal cost(long tokens, JsonNode perThousand) {
    return BigDecimal.valueOf(tokens)
        .multiply(perThousand.decimalValue())
        .divide(THOUSAND, MathContext.DECIMAL64);
  }
}
