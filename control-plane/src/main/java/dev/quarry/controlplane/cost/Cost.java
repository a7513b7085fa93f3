package dev.quarry.controlplane.cost;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What a job's tokens cost in USD: {@code onDemand} is what Quarry's own calls cost (it calls the
 * model on demand), {@code batch} what the same tokens cost in a Bedrock batch job.
 */
public record Cost(BigDecimal onDemand, BigDecimal batch) {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  public Cost {
    if (onDemand == null || batch == null || onDemand.signum() < 0 || batch.signum() < 0) {
      throw new IllegalArgumentException(
          "costs must be given and >= 0: " + onDemand + ", " + batch);
    }
  }

  /** The cost of {@code inputTokens} and {@code outputTokens} at {@code price}. */
  public static Cost of(ModelPrice price, long inputTokens, long outputTokens) {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0: " + inputTokens + ", " + outputTokens);
    }
    BigDecimal in = BigDecimal.valueOf(inputTokens);
    BigDecimal out = BigDecimal.valueOf(outputTokens);
    return new Cost(
        perThousand(in, price.input()).add(perThousand(out, price.output())),
        perThousand(in, price.batchInput()).add(perThousand(out, price.batchOutput())));
  }

  private static BigDecimal perThousand(BigDecimal tokens, BigDecimal pricePerThousand) {
    return tokens.multiply(pricePerThousand).divide(THOUSAND, MathContext.DECIMAL64);
  }
}
