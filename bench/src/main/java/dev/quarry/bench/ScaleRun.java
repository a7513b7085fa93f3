package dev.quarry.bench;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.job.io.Manifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 5, in a JVM of its own so that its heap limit covers the whole stack: generates the
 * records, uploads them, runs one job through the API, checks the manifest, and prints its result
 * as one {@code SCALE_RESULT} line. Warm-up jobs first, as many as scenario 1b gets warm-up rounds,
 * so that the rates compare the steady state of both: this JVM is fresh, and on 2 cores its JIT
 * needs several 100,000-record jobs before a job runs at its steady pace (after one, the
 * 1,000,000-record job ran at 1,700-4,300 records/s in its first 20 s and 6,100-7,300 after; after
 * four, 5,000-8,400 and then 7,200-8,600).
 */
public final class ScaleRun {
  static final String RESULT_PREFIX = "SCALE_RESULT ";
  private static final int RECORDS_PER_FILE = 100_000;
  private static final int WARM_UP_RECORDS = 100_000;

  private ScaleRun() {}

  /** {@code ScaleRun <records> <work dir> <plugins dir>}. */
  public static void main(String[] args) throws Exception {
    long records = Long.parseLong(args[0]);
    Path work = Path.of(args[1]);
    Path plugins = Path.of(args[2]);
    EmulatorConfig emulator = EmulatorConfig.builder().countBodies(false).build();
    try (BenchStack stack = BenchStack.start(work, plugins, emulator, Map.of())) {
      stack.createBucket("scale-in");
      stack.createBucket("scale-out");
      JobWatcher jobs = new JobWatcher(stack.bedrock());
      String warmInput = BenchRecords.upload(stack.s3(), "scale-in", "warm", WARM_UP_RECORDS, 2);
      for (int warm = 0; warm < CeilingScenario.WARM_UP_ROUNDS; warm++) {
        jobs.run(
            JobWatcher.request(
                "bench-scale-warm-up-" + warm,
                CeilingScenario.MODEL,
                warmInput,
                "s3://scale-out/warm/"),
            Duration.ofMinutes(5));
      }
      long t0 = System.nanoTime();
      int files = (int) Math.max(1, (records + RECORDS_PER_FILE - 1) / RECORDS_PER_FILE);
      String input = BenchRecords.upload(stack.s3(), "scale-in", "scale", records, files);
      double uploadSeconds = (System.nanoTime() - t0) / 1e9;
      JobRun job =
          jobs.run(
              JobWatcher.request("bench-scale", CeilingScenario.MODEL, input, "s3://scale-out/r/"),
              Duration.ofMinutes(30));
      String jobId = job.jobArn().substring(job.jobArn().lastIndexOf('/') + 1);
      Manifest manifest =
          Manifest.fromJson(
              stack
                  .s3()
                  .getObjectAsBytes(
                      b -> b.bucket("scale-out").key("r/" + jobId + "/manifest.json.out"))
                  .asUtf8String());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("status", job.last().statusAsString());
      details.put("manifest_success", manifest.successRecordCount());
      details.put("manifest_errors", manifest.errorRecordCount());
      details.put(
          "completed",
          "Completed".equals(job.last().statusAsString())
              && manifest.successRecordCount() == records);
      details.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
      details.put("peak_rss_bytes", ResidentMemory.peakBytes());
      details.put("upload_s", uploadSeconds);
      details.put("running_s", job.allProcessed() - job.inProgress());
      ScenarioResult result =
          new ScenarioResult(
              "5",
              "scale: "
                  + records
                  + " records, whole stack in "
                  + (Runtime.getRuntime().maxMemory() >> 20)
                  + " MB of heap",
              records,
              job.ended(),
              job.timeline().steadyRate(records),
              details,
              job.timeline(),
              Double.NaN);
      System.out.println(RESULT_PREFIX + ResultsJson.toJson(result));
    }
    System.exit(0);
  }
}
