package dev.quarry.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 6: sharded input, many small files (2,000 and 10,000 files of 5 records by default), the
 * emulator answering at once, Create to Completed through the API. What it measures is the cost per
 * input file: listing, validation, one split, one reader and one output object each, and the commit
 * of every output file; as wall time, and as CPU time of this JVM (the whole stack), which does not
 * depend on what else the machine runs.
 */
final class ManyFilesScenario {
  /**
   * This JVM, which runs the whole stack: its CPU time from Create to Completed is what the files
   * cost, whatever else the machine is running (the wall time is not).
   */
  private static final OperatingSystemMXBean PROCESS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /**
   * Files of each warm-up job, so that the figures are those of a warm JVM, as a control plane is
   * after its first jobs: with 50, the 2,000-file job still paid for the JIT (CPU per file 29 ms
   * against 17 ms in the 10,000-file job after it); with 500, three 2,000-file jobs in a row took
   * 14.8, 11.3 and 10.9 s (CPU per file 14.4, 11.0, 10.5 ms), the compiler threads taking a fifth
   * of the first one's CPU.
   */
  static final int WARM_UP_FILES = 2_000;

  /**
   * Warm-up jobs of many files, after one of 100,000 records: with one 2,000-file job alone, the
   * 2,000-file job took 11.9-13.7 s (the JIT 0.7-0.8 ms of CPU per file, the model calls two to
   * three times scenario 1's CPU per call), and 8.1-8.9 s when scenario 1 had run before it: the
   * figure depended on what ran before.
   */
  static final int WARM_UP_JOBS = 2;

  /** Records of the warm-up job that runs Flink's record path, scenario 1's size. */
  static final int WARM_UP_RECORDS = 100_000;

  /** Calls of the plain loop that warms the SDK's call path first. */
  static final int WARM_UP_CALLS = 300_000;

  /**
   * A model of its own, told a budget no job here can reach: on the scenario 1 model, whose limit
   * is learned, a fresh stack started the warm-up jobs at 1,000 calls/min rising 40 % a second, and
   * the measured job was still held to its share of the learned rate, so the figure measured the
   * learning as much as the files.
   */
  static final String MODEL = "anthropic.claude-v2:1";

  /** The budget {@link #MODEL} is told, per minute: far above what the emulator can answer. */
  static final long MODEL_REQUESTS_PER_MINUTE = 60_000_000;

  private final List<Integer> fileCounts;
  private final int recordsPerFile;

  ManyFilesScenario(List<Integer> fileCounts, int recordsPerFile) {
    this.fileCounts = List.copyOf(fileCounts);
    this.recordsPerFile = recordsPerFile;
  }

  List<ScenarioResult> run(BenchStack stack) throws Exception {
    CpuClock threads = new CpuClock();
    JobWatcher jobs = new JobWatcher(stack.bedrock(), threads);
    // The record path first. The SDK's call path needs hundreds of thousands of calls on 2 cores
    // before it is fully compiled: after a 100,000-record job and two 2,000-file jobs alone, the
    // 2,000-file job's calls still cost twice their CPU after scenario 1 (SDK Netty 1.2-1.7 ms per
    // file against 0.6), and it took 9.9-12.5 s against 7.0-8.9. A plain loop of calls (as
    // scenario 1's) warms that path cheaply; then a job of scenario 1's size warms Flink's.
    new PlainAsyncLoop(
            stack.emulatorBedrock(), MODEL, CeilingScenario.SUBTASKS, CeilingScenario.CONCURRENCY)
        .run("files-warm-loop", WARM_UP_CALLS, threads);
    String recordsWarm =
        BenchRecords.upload(stack.s3(), "bench-in", "files-warm-records", WARM_UP_RECORDS, 4);
    jobs.run(
            JobWatcher.request(
                "bench-files-warm-records",
                MODEL,
                recordsWarm,
                "s3://bench-out/files-warm-records/"),
            Duration.ofMinutes(5))
        .requireCompleted(WARM_UP_RECORDS);
    String warm =
        BenchRecords.uploadSmallFiles(
            stack.s3(), "bench-in", "files-warm", WARM_UP_FILES, recordsPerFile);
    for (int i = 0; i < WARM_UP_JOBS; i++) {
      jobs.run(
              JobWatcher.request(
                  "bench-files-warm-" + i, MODEL, warm, "s3://bench-out/files-warm-" + i + "/"),
              Duration.ofMinutes(5))
          .requireCompleted((long) WARM_UP_FILES * recordsPerFile);
    }

    List<ScenarioResult> results = new ArrayList<>();
    char suffix = 'a';
    for (int files : fileCounts) {
      long records = (long) files * recordsPerFile;
      long uploadStart = System.nanoTime();
      String input =
          BenchRecords.uploadSmallFiles(
              stack.s3(), "bench-in", "files-" + files, files, recordsPerFile);
      double uploadSeconds = (System.nanoTime() - uploadStart) / 1e9;
      long cpuBefore = PROCESS.getProcessCpuTime();
      long createdAtMillis = System.currentTimeMillis();
      JobRun job;
      ProcessCpuSampler cpu = ProcessCpuSampler.start();
      try (cpu) {
        job =
            jobs.run(
                JobWatcher.request(
                    "bench-files-" + files, MODEL, input, "s3://bench-out/files-" + files + "/"),
                Duration.ofMinutes(30));
      }
      double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e9;
      job.requireCompleted(records);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("files", files);
      details.put("records_per_file", recordsPerFile);
      details.put("ms_per_file", job.ended() * 1000 / files);
      details.put("cpu_s", cpuSeconds);
      details.put("cpu_ms_per_file", cpuSeconds * 1000 / files);
      details.put("validate_s", job.scheduled());
      details.put("queue_s", job.inProgress() - job.scheduled());
      details.put("flink_start_s", job.firstProgress() - job.inProgress());
      details.put("run_s", job.allProcessed() - job.firstProgress());
      details.put("finalize_s", job.ended() - job.allProcessed());
      details.put("validate_cpu_s", cpu.cpuSecondsBetween(0, job.scheduled()));
      details.put(
          "flink_start_cpu_s", cpu.cpuSecondsBetween(job.inProgress(), job.firstProgress()));
      details.put("run_cpu_s", cpu.cpuSecondsBetween(job.firstProgress(), job.allProcessed()));
      details.put("finalize_cpu_s", cpu.cpuSecondsBetween(job.allProcessed(), job.ended()));
      // Where each phase's CPU went, by thread group, in microseconds per input file. The last
      // sample before the end closes the finalize phase: at the end the job's threads are gone.
      List<Timeline.Sample> samples = job.timeline().samples();
      double lastBeforeEnd =
          samples.size() < 2 ? job.ended() : samples.get(samples.size() - 2).seconds();
      details.put(
          "validate_cpu_us_per_file_by_threads",
          job.timeline().cpuByThreadGroupBetween(threads, 0, job.scheduled(), files));
      details.put(
          "run_cpu_us_per_file_by_threads",
          job.timeline()
              .cpuByThreadGroupBetween(threads, job.firstProgress(), job.allProcessed(), files));
      details.put(
          "finalize_cpu_us_per_file_by_threads",
          job.timeline()
              .cpuByThreadGroupBetween(threads, job.allProcessed(), lastBeforeEnd, files));
      details.put("upload_s", uploadSeconds);
      // wall-clock time of Create, to line the phases up with logs and profiles
      details.put("created_at_epoch_ms", createdAtMillis);
      results.add(
          new ScenarioResult(
              "6" + suffix++,
              String.format(
                  Locale.ROOT, "many files: %,d files of %d records", files, recordsPerFile),
              records,
              job.ended(),
              records / job.ended(),
              details,
              job.timeline(),
              Double.NaN));
    }
    return results;
  }
}
