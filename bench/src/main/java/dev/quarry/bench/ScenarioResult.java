package dev.quarry.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one scenario measured.
 *
 * @param key short stable name ({@code 1a}, {@code 1b}, {@code 2}, …)
 * @param title what ran, for the table and the plot
 * @param records records sent or processed
 * @param seconds wall time of the whole scenario run (for a job: Create to its end)
 * @param rate sustained records/s (the 10 %–90 % slope of the timeline)
 * @param details further figures by name, in table order (times, ratios, memory, …)
 * @param timeline records done over time
 * @param referenceRate a rate to draw on the plot (a configured limit), or NaN
 */
record ScenarioResult(
    String key,
    String title,
    long records,
    double seconds,
    double rate,
    Map<String, Object> details,
    Timeline timeline,
    double referenceRate) {

  ScenarioResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(title, "title");
    details = new LinkedHashMap<>(details);
    Objects.requireNonNull(timeline, "timeline");
  }

  /** A numeric detail, or NaN when absent. */
  double number(String name) {
    Object v = details.get(name);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
