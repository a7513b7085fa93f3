package dev.quarry.controlplane.quota;

/**
 * A running job's rate figures, summed over its subtasks' progress rows.
 *
 * @param allowedPerMinute the request rate its subtasks allow themselves now
 * @param calls calls sent so far (retries included)
 * @param throttled calls answered 429 so far
 * @param rateLimited whether some subtask's calls waited for its rate lately (it could use more)
 * @param reported whether any subtask reported rate figures yet
 */
record JobRates(
    double allowedPerMinute, long calls, long throttled, boolean rateLimited, boolean reported) {
  static final JobRates NONE = new JobRates(0, 0, 0, false, false);
}
