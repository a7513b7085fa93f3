package dev.quarry.bench;

import dev.quarry.emulator.stats.ModelStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenarios 2 and 3: the emulator enforces R requests per minute and answers in 200–800 ms; the job
 * is either told R ({@code quarry.model.<id>.requests-per-minute}) or left to find it by its
 * adaptive backoff.
 */
final class RateLimitScenario {
  /** The model whose limit the job is told. */
  static final String TOLD_MODEL = "anthropic.claude-3-sonnet-20240229-v1:0";

  /** The model whose limit the job must find. */
  static final String ADAPTIVE_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  private final boolean told;
  private final int requestsPerMinute;
  private final int records;

  RateLimitScenario(boolean told, int requestsPerMinute, int records) {
    this.told = told;
    this.requestsPerMinute = requestsPerMinute;
    this.records = records;
  }

  ScenarioResult run(BenchStack stack) throws Exception {
    String model = told ? TOLD_MODEL : ADAPTIVE_MODEL;
    String name = told ? "told" : "adaptive";
    String input = BenchRecords.upload(stack.s3(), "bench-in", "rate-" + name, records, 2);
    ModelStats before = stack.modelStats(model);
    JobRun job =
        new JobWatcher(stack.bedrock())
            .run(
                JobWatcher.request(
                    "bench-rate-" + name, model, input, "s3://bench-out/rate-" + name + "/"),
                Duration.ofSeconds(Math.max(300, records * 60L / requestsPerMinute * 3)));
    job.requireCompleted(records);
    ModelStats after = stack.modelStats(model);
    long requests = after.requests() - before.requests();
    long throttled = after.throttled() - before.throttled();
    double limit = requestsPerMinute / 60.0;
    double rate = job.timeline().steadyRate(records);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("limit_per_s", limit);
    details.put("ratio", rate / limit);
    details.put("calls", requests);
    details.put("throttled_calls", throttled);
    details.put("throttled_share", requests == 0 ? 0.0 : (double) throttled / requests);
    String title =
        told
            ? "rate limit told: R=" + requestsPerMinute + "/min, 200-800 ms"
            : "rate limit not told (adaptive): R=" + requestsPerMinute + "/min, 200-800 ms";
    return new ScenarioResult(
        told ? "2" : "3", title, records, job.ended(), rate, details, job.timeline(), limit);
  }
}
