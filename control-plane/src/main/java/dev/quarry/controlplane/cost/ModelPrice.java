package dev.quarry.controlplane.cost;

import java.math.BigDecimal;

/** USD per 1,000 input and output tokens of one model, on demand and in a Bedrock batch job. */
public record ModelPrice(
    BigDecimal input, BigDecimal output, BigDecimal batchInput, BigDecimal batchOutput) {
  public ModelPrice {
    for (BigDecimal p : new BigDecimal[] {input, output, batchInput, batchOutput}) {
      if (p == null || p.signum() < 0) {
        throw new IllegalArgumentException(
            "prices must be given and >= 0: "
                + input
                + ", "
                + output
                + ", "
                + batchInput
                + ", "
                + batchOutput);
      }
    }
  }
}
