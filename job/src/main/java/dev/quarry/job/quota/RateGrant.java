package dev.quarry.job.quota;

import java.io.Serializable;

/**
 * A job's share of its model's budget, as the control plane granted it; 0 means no limit of that
 * kind.
 *
 * @param requestsPerMinute requests per minute the whole job may send
 * @param tokensPerMinute tokens (input plus output) per minute the whole job may use
 */
public record RateGrant(double requestsPerMinute, double tokensPerMinute) implements Serializable {

  public RateGrant {
    if (!(requestsPerMinute >= 0)
        || !(tokensPerMinute >= 0)
        || Double.isInfinite(requestsPerMinute)
        || Double.isInfinite(tokensPerMinute)) {
      throw new IllegalArgumentException(
          "a grant must be finite and at least 0, was "
              + requestsPerMinute
              + " rpm, "
              + tokensPerMinute
              + " tpm");
    }
  }

  /** No limit at all. */
  public static final RateGrant UNLIMITED = new RateGrant(0, 0);
}
