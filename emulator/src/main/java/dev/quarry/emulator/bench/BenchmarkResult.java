package dev.quarry.emulator.bench;

/**
 * One row of the benchmark table.
 *
 * @param client which load client produced it
 * @param connections concurrent connections (lanes)
 * @param depth requests outstanding per connection
 * @param requests responses received during the measured window
 * @param errors non-200 responses or failed calls during the window
 * @param seconds length of the measured window
 * @param sortedMicros latency samples of the window, sorted
 * @param cpuNanos CPU time the whole process (server and client) used during the window, or -1 if
 *     unknown
 */
record BenchmarkResult(
    String client,
    int connections,
    int depth,
    long requests,
    long errors,
    double seconds,
    long[] sortedMicros,
    long cpuNanos) {

  /** Process CPU microseconds per request: load-independent, unlike req/s on a shared machine. */
  double cpuMicrosPerRequest() {
    return cpuNanos < 0 || requests == 0 ? Double.NaN : cpuNanos / 1000.0 / requests;
  }

  double requestsPerSecond() {
    return requests / seconds;
  }

  double percentileMillis(double p) {
    if (sortedMicros.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sortedMicros.length - 1, Math.ceil(p * sortedMicros.length) - 1);
    return sortedMicros[Math.max(0, index)] / 1000.0;
  }
}
