package dev.quarry.controlplane.quota;

/**
 * The request rate last learned for a model, and whether the model showed it is a limit (a 429
 * came) or it is only the fastest rate jobs used without being refused.
 *
 * @param requestsPerMinute the rate
 * @param limitFound whether a throttle set it: a controller starts on the plateau of a found limit,
 *     and keeps doubling from a rate never refused
 */
record LearnedRate(double requestsPerMinute, boolean limitFound) {
  LearnedRate {
    if (!(requestsPerMinute > 0)) {
      throw new IllegalArgumentException("a learned rate is positive, was " + requestsPerMinute);
    }
  }
}
