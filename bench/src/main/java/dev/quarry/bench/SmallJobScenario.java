package dev.quarry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: a small job (100 records, the emulator answering at once) from {@code
 * CreateModelInvocationJob} to Completed through the API, broken down into its phases. Runs first,
 * on the fresh stack: the first job after a start is reported on its own (it loads Flink's,
 * Hadoop's and the SDK's classes), then the median of a few more.
 */
final class SmallJobScenario {
  private static final int RUNS = 4;

  private final int records;

  SmallJobScenario(int records) {
    this.records = records;
  }

  ScenarioResult run(BenchStack stack) throws Exception {
    JobWatcher jobs = new JobWatcher(stack.bedrock());
    List<JobRun> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      String input = BenchRecords.upload(stack.s3(), "bench-in", "small-" + i, records, 1);
      JobRun job =
          jobs.run(
              JobWatcher.request(
                  "bench-small-" + i, CeilingScenario.MODEL, input, "s3://bench-out/small/"),
              Duration.ofMinutes(2));
      job.requireCompleted(records);
      runs.add(job);
    }
    JobRun cold = runs.remove(0);
    List<Double> warm = runs.stream().map(JobRun::ended).toList();
    runs.sort(Comparator.comparingDouble(JobRun::ended));
    JobRun median = runs.get(runs.size() / 2);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("validate_s", median.scheduled());
    details.put("queue_s", median.inProgress() - median.scheduled());
    details.put("flink_start_s", median.firstProgress() - median.inProgress());
    details.put("run_s", median.allProcessed() - median.firstProgress());
    details.put("finalize_s", median.ended() - median.allProcessed());
    details.put("warm_runs_s", warm);
    details.put("first_job_after_start_s", cold.ended());
    details.put("first_job_validate_s", cold.scheduled());
    details.put("first_job_flink_start_s", cold.firstProgress() - cold.inProgress());
    details.put("first_job_finalize_s", cold.ended() - cold.allProcessed());
    return new ScenarioResult(
        "4",
        "small job: " + records + " records, Create to Completed",
        records,
        median.ended(),
        records / median.ended(),
        details,
        median.timeline(),
        Double.NaN);
  }
}
