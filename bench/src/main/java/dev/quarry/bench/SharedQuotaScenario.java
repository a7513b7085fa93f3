package dev.quarry.bench;

import dev.quarry.emulator.stats.ModelStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;

/**
 * Scenario 7: several jobs on one model's quota (R requests/min at the emulator, 200-800 ms),
 * started together. 7a two equal jobs told the budget; 7b four equal jobs not told it (adaptive);
 * 7c a high and a low priority job; 7d one job beside an interactive client at 15 % of R, with
 * max-share 0.8.
 */
final class SharedQuotaScenario {
  // not the ceiling scenario's model (claude-3-haiku): the emulator limits this one
  static final String TOLD_MODEL = "anthropic.claude-3-5-sonnet-20241022-v2:0";
  static final String ADAPTIVE_MODEL = "anthropic.claude-3-opus-20240229-v1:0";
  static final String INTERACTIVE_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  static final double MAX_SHARE = 0.8;
  static final double INTERACTIVE_SHARE = 0.15;

  private final int requestsPerMinute;
  private final int seconds;

  SharedQuotaScenario(int requestsPerMinute, int seconds) {
    this.requestsPerMinute = requestsPerMinute;
    this.seconds = seconds;
  }

  /** Control-plane settings the scenario needs: the budgets of its told models. */
  static Map<String, String> settings(int requestsPerMinute) {
    return Map.of(
        "quarry.model." + TOLD_MODEL + ".requests-per-minute", Integer.toString(requestsPerMinute),
        "quarry.model." + INTERACTIVE_MODEL + ".requests-per-minute",
            Integer.toString(requestsPerMinute),
        "quarry.model." + INTERACTIVE_MODEL + ".max-share", Double.toString(MAX_SHARE));
  }

  List<ScenarioResult> run(BenchStack stack) throws Exception {
    List<ScenarioResult> out = new ArrayList<>();
    int perJob = requestsPerMinute * seconds / 60 / 2;
    out.add(equalJobs(stack, "7a", TOLD_MODEL, 2, perJob, "told"));
    out.add(equalJobs(stack, "7b", ADAPTIVE_MODEL, 4, perJob / 2, "not told"));
    out.add(priorities(stack, perJob));
    out.add(interactive(stack, 2 * perJob));
    return out;
  }

  private ScenarioResult equalJobs(
      BenchStack stack, String key, String model, int jobs, int records, String how)
      throws Exception {
    ModelStats before = stack.modelStats(model);
    List<CreateModelInvocationJobRequest> requests = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      requests.add(request(stack, key + "-" + i, model, records));
    }
    List<JobRun> runs = runTogether(stack, requests, records);
    ModelStats after = stack.modelStats(model);
    // Together: from when 10 % of all records were done to when the first job had done 90 % of its
    // own,
    // so jobs that start a little apart (Flink submissions queue on a small machine) all run in it.
    double[] window = {
      combinedReaches(runs, 0.1 * jobs * records), firstToReach(runs, 0.9 * records)
    };
    List<Double> rates = new ArrayList<>();
    for (JobRun r : runs) {
      rates.add(rate(r, window));
    }
    double sum = rates.stream().mapToDouble(Double::doubleValue).sum();
    double limit = requestsPerMinute / 60.0;
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("limit_per_s", limit);
    d.put("job_rates", rates);
    d.put("ratio", sum / limit);
    d.put(
        "fairness",
        rates.stream().mapToDouble(Double::doubleValue).min().orElse(0)
            / rates.stream().mapToDouble(Double::doubleValue).max().orElse(1));
    putThrottles(d, before, after);
    return new ScenarioResult(
        key,
        "shared quota, " + how + ": " + jobs + " equal jobs, R=" + requestsPerMinute + "/min",
        (long) jobs * records,
        maxEnd(runs),
        sum,
        d,
        runs.get(0).timeline(),
        limit);
  }

  private ScenarioResult priorities(BenchStack stack, int records) throws Exception {
    ModelStats before = stack.modelStats(TOLD_MODEL);
    CreateModelInvocationJobRequest high =
        JobWatcher.withPriority(request(stack, "7c-high", TOLD_MODEL, records), "high");
    CreateModelInvocationJobRequest low =
        JobWatcher.withPriority(request(stack, "7c-low", TOLD_MODEL, records), "low");
    List<JobRun> runs = runTogether(stack, List.of(high, low), records);
    ModelStats after = stack.modelStats(TOLD_MODEL);
    // While both run: from the high job's 10 % to its 90 %.
    double[] window = {
      runs.get(0).timeline().secondsToReach((long) Math.ceil(records * 0.1)),
      runs.get(0).timeline().secondsToReach((long) Math.ceil(records * 0.9))
    };
    double highRate = rate(runs.get(0), window);
    double lowRate = rate(runs.get(1), window);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("limit_per_s", requestsPerMinute / 60.0);
    d.put("high_rate", highRate);
    d.put("low_rate", lowRate);
    d.put("high_low_ratio", highRate / lowRate);
    putThrottles(d, before, after);
    return new ScenarioResult(
        "7c",
        "priority: high and low job, R=" + requestsPerMinute + "/min",
        2L * records,
        maxEnd(runs),
        highRate + lowRate,
        d,
        runs.get(0).timeline(),
        requestsPerMinute / 60.0);
  }

  private ScenarioResult interactive(BenchStack stack, int records) throws Exception {
    ModelStats before = stack.modelStats(INTERACTIVE_MODEL);
    double limit = requestsPerMinute / 60.0;
    List<JobRun> runs;
    long calls;
    long throttled;
    try (InteractiveCaller caller =
        new InteractiveCaller(
            stack.emulatorEndpoint(), INTERACTIVE_MODEL, INTERACTIVE_SHARE * limit)) {
      runs = runTogether(stack, List.of(request(stack, "7d", INTERACTIVE_MODEL, records)), records);
      calls = caller.calls();
      throttled = caller.throttled();
    }
    ModelStats after = stack.modelStats(INTERACTIVE_MODEL);
    double rate = runs.get(0).timeline().steadyRate(records);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("limit_per_s", limit);
    d.put("batch_ratio", rate / limit);
    d.put("interactive_calls", calls);
    d.put("interactive_throttled", throttled);
    d.put("interactive_throttled_share", calls == 0 ? Double.NaN : (double) throttled / calls);
    putThrottles(d, before, after);
    return new ScenarioResult(
        "7d",
        "interactive client at 15 % beside a job, max-share 0.8",
        records,
        runs.get(0).ended(),
        rate,
        d,
        runs.get(0).timeline(),
        limit * MAX_SHARE);
  }

  private static CreateModelInvocationJobRequest request(
      BenchStack stack, String name, String model, int records) {
    String input = BenchRecords.upload(stack.s3(), "bench-in", "shared-" + name, records, 2);
    return JobWatcher.request("bench-" + name, model, input, "s3://bench-out/shared-" + name + "/");
  }

  private List<JobRun> runTogether(
      BenchStack stack, List<CreateModelInvocationJobRequest> requests, int records) {
    Duration timeout =
        Duration.ofSeconds(
            Math.max(300, (long) records * requests.size() * 60 / requestsPerMinute * 4));
    List<CompletableFuture<JobRun>> futures = new ArrayList<>();
    for (CreateModelInvocationJobRequest r : requests) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  JobRun run = new JobWatcher(stack.bedrock()).run(r, timeout);
                  run.requireCompleted(records);
                  return run;
                } catch (InterruptedException e) {
                  throw new CompletionException(e);
                }
              }));
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  /** When the jobs together first had {@code done} records done (their clocks start together). */
  private static double combinedReaches(List<JobRun> runs, double done) {
    double end = maxEnd(runs);
    for (double t = 0; t <= end; t += 0.05) {
      double sum = 0;
      for (JobRun r : runs) {
        sum += r.timeline().doneAt(t);
      }
      if (sum >= done) {
        return t;
      }
    }
    return Double.NaN;
  }

  /** When the first job reached {@code done} records of its own. */
  private static double firstToReach(List<JobRun> runs, double done) {
    return runs.stream()
        .mapToDouble(r -> r.timeline().secondsToReach((long) Math.ceil(done)))
        .min()
        .orElse(Double.NaN);
  }

  private static double rate(JobRun run, double[] window) {
    if (!(window[1] > window[0])) {
      return Double.NaN;
    }
    return (run.timeline().doneAt(window[1]) - run.timeline().doneAt(window[0]))
        / (window[1] - window[0]);
  }

  private static double maxEnd(List<JobRun> runs) {
    return runs.stream().mapToDouble(JobRun::ended).max().orElse(Double.NaN);
  }

  private static void putThrottles(Map<String, Object> d, ModelStats before, ModelStats after) {
    long calls = after.requests() - before.requests();
    long throttled = after.throttled() - before.throttled();
    d.put("calls", calls);
    d.put("throttled_calls", throttled);
    d.put("throttled_share", calls == 0 ? 0.0 : (double) throttled / calls);
  }
}
