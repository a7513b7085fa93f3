package dev.quarry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1: the same records (a) by a plain async loop with the job's SDK client and concurrency,
 * the limit of this machine, (b) by a Quarry job end to end, S3 to S3, the emulator answering at
 * once, and (c) by a Quarry job whose model the catalog routes to an OpenAI-compatible server (the
 * emulator's {@code /v1} routes): each Claude record translated to a chat completion and the answer
 * back.
 */
final class CeilingScenario {
  static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";

  /**
   * The job's default parallelism (model-call subtasks, one SDK client each) and calls in flight
   * per subtask.
   */
  static final int SUBTASKS = 2;

  static final int CONCURRENCY = 64;

  /** How often the measured jobs are polled. */
  static final long POLL_MILLIS = 250;

  /** Unmeasured rounds before the measured ones, each a loop run, a job and an OpenAI-route job. */
  static final int WARM_UP_ROUNDS = 4;

  static final int ROUNDS = 5;

  private final int records;

  CeilingScenario(int records) {
    this.records = records;
  }

  List<ScenarioResult> run(BenchStack stack) throws Exception {
    PlainAsyncLoop loop = new PlainAsyncLoop(stack.emulatorBedrock(), MODEL, SUBTASKS, CONCURRENCY);
    CpuClock cpu = new CpuClock();
    // Each poll is a signed Get the control plane answers in about 1 ms of CPU: every 50 ms that
    // was 2 ms per 1,000 records of the job's side, work the loop's side (a counter read) does not
    // have and a user polling every few seconds does not cause. The 10-90 % slope is exact at
    // any spacing of samples.
    JobWatcher jobs = new JobWatcher(stack.bedrock(), cpu, POLL_MILLIS);

    // Warm-up, the same on both sides and as large as the measured runs: on 2 cores the JIT needs
    // tens of thousands of calls before either side runs at its steady pace, and a job's wider
    // stack keeps it compiling longer: code that runs per report or per poll, not per record (the
    // store's SQL in H2, the control plane's job records, S3Proxy, Jetty), gets hot only after
    // minutes. With two warm-up rounds of 30,000 records the compiler threads still took 21, 14 and
    // 10 ms per 1,000 records of the three measured jobs (983, 605 and 424 compilations, JFR), and
    // 11, 0.5 and 0.9 of the loop's runs; with two full-size rounds still 19, 14 and 5 (and 30, 13
    // and 4), falling job by job; with four, 11, 4 and 7 (the loop's 1, 0.5 and 0.1).
    String warmInput = BenchRecords.upload(stack.s3(), "bench-in", "warm", records, 4);
    for (int warm = 0; warm < WARM_UP_ROUNDS; warm++) {
      loop.run("warm", records, cpu);
      jobs.run(
          JobWatcher.request("bench-warm-up-" + warm, MODEL, warmInput, "s3://bench-out/warm/"),
          Duration.ofMinutes(5));
      jobs.run(
          JobWatcher.request(
              "bench-warm-up-openai-" + warm,
              BenchStack.OPENAI_ROUTED_MODEL,
              warmInput,
              "s3://bench-out/warm-openai/"),
          Duration.ofMinutes(5));
    }

    // Measured three times each, interleaved, so that neither side profits alone from JIT work or a
    // quiet
    // moment; each side reports its median run (the best of a few noisy runs would flatter both).
    List<Timeline> plains = new ArrayList<>();
    List<JobRun> runs = new ArrayList<>();
    List<JobRun> openAiRuns = new ArrayList<>();
    // Where each run's CPU went, by thread group, in the order of the runs.
    List<Map<String, Double>> plainThreads = new ArrayList<>();
    List<Map<String, Double>> jobThreads = new ArrayList<>();
    List<Map<String, Double>> openAiThreads = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String input = BenchRecords.upload(stack.s3(), "bench-in", "ceiling-" + round, records, 4);
      JobRun j =
          jobs.run(
              JobWatcher.request("bench-ceiling-" + round, MODEL, input, "s3://bench-out/ceiling/"),
              Duration.ofMinutes(10));
      j.requireCompleted(records);
      runs.add(j);
      jobThreads.add(j.timeline().steadyCpuByThreadGroup(cpu, records));
      Timeline p = loop.run("ceiling-" + round, records, cpu);
      plains.add(p);
      plainThreads.add(p.steadyCpuByThreadGroup(cpu, records));
      JobRun o =
          jobs.run(
              JobWatcher.request(
                  "bench-ceiling-openai-" + round,
                  BenchStack.OPENAI_ROUTED_MODEL,
                  input,
                  "s3://bench-out/ceiling-openai/"),
              Duration.ofMinutes(10));
      o.requireCompleted(records);
      openAiRuns.add(o);
      openAiThreads.add(o.timeline().steadyCpuByThreadGroup(cpu, records));
    }
    List<Double> cpuRatios =
        cpuRatiosByRound(plains, runs.stream().map(JobRun::timeline).toList(), records);
    openAiRuns.sort(Comparator.comparingDouble(r -> r.timeline().steadyRate(records)));
    JobRun openAi = openAiRuns.get(ROUNDS / 2);
    plains.sort(Comparator.comparingDouble(t -> t.steadyRate(records)));
    runs.sort(Comparator.comparingDouble(r -> r.timeline().steadyRate(records)));
    Timeline plain = plains.get(ROUNDS / 2);
    JobRun job = runs.get(ROUNDS / 2);
    double plainSeconds = plain.samples().get(plain.samples().size() - 1).seconds();
    Map<String, Object> plainDetails = new LinkedHashMap<>();
    plainDetails.put("clients", SUBTASKS);
    plainDetails.put("concurrency", SUBTASKS * CONCURRENCY);
    plainDetails.put("rounds", ROUNDS);
    plainDetails.put(
        "all_rates", plains.stream().map(t -> Math.round(t.steadyRate(records))).toList());
    putCpu(plainDetails, plains);
    plainDetails.put("cpu_by_threads_per_run", plainThreads);
    ScenarioResult a =
        new ScenarioResult(
            "1a",
            "ceiling: plain async loop, no Flink, no S3",
            records,
            plainSeconds,
            plain.steadyRate(records),
            plainDetails,
            plain,
            Double.NaN);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("validate_s", job.scheduled());
    details.put("queue_s", job.inProgress() - job.scheduled());
    details.put("running_s", job.allProcessed() - job.inProgress());
    details.put("finalize_s", job.ended() - job.allProcessed());
    details.put("end_to_end_records_per_s", records / job.ended());
    details.put("rounds", ROUNDS);
    details.put(
        "all_rates", runs.stream().map(r -> Math.round(r.timeline().steadyRate(records))).toList());
    putCpu(details, runs.stream().map(JobRun::timeline).toList());
    details.put("cpu_ratio", median(cpuRatios));
    details.put(
        "cpu_ratio_by_round", cpuRatios.stream().map(r -> Math.round(r * 1000) / 1000.0).toList());
    details.put("cpu_by_threads_per_run", jobThreads);
    ScenarioResult b =
        new ScenarioResult(
            "1b",
            "ceiling: Quarry job, S3 to S3",
            records,
            job.ended(),
            job.timeline().steadyRate(records),
            details,
            job.timeline(),
            Double.NaN);
    Map<String, Object> openAiDetails = new LinkedHashMap<>();
    openAiDetails.put("route", "openai-compatible (emulator /v1/chat/completions)");
    openAiDetails.put("end_to_end_records_per_s", records / openAi.ended());
    openAiDetails.put("rounds", ROUNDS);
    openAiDetails.put(
        "all_rates",
        openAiRuns.stream().map(r -> Math.round(r.timeline().steadyRate(records))).toList());
    putCpu(openAiDetails, openAiRuns.stream().map(JobRun::timeline).toList());
    openAiDetails.put("cpu_by_threads_per_run", openAiThreads);
    ScenarioResult c =
        new ScenarioResult(
            "1c",
            "ceiling: Quarry job on an OpenAI-compatible route",
            records,
            openAi.ended(),
            openAi.timeline().steadyRate(records),
            openAiDetails,
            openAi.timeline(),
            Double.NaN);
    return List.of(a, b, c);
  }

  /**
   * A side's CPU figures ({@link CpuClock}), medians of its runs: per 1,000 records while its rate
   * was sustained (the figure compared, as the rates are), and over the whole run (for a job,
   * Create to Completed: validation, Flink's start and the commit included).
   */
  private void putCpu(Map<String, Object> details, List<Timeline> timelines) {
    List<Double> steady = timelines.stream().map(t -> t.steadyCpuMsPer1000(records)).toList();
    details.put("cpu_ms_per_1000", median(steady));
    details.put("all_cpu_ms_per_1000", rounded(steady));
    details.put(
        "run_cpu_ms_per_1000",
        median(timelines.stream().map(t -> t.runCpuMsPer1000(records)).toList()));
  }

  /**
   * Records per CPU-second of the job over the loop's, round by round: the loop's sustained CPU per
   * record over the job's of the same round. A round's job and loop run back to back, so a host
   * that is slower for a while (a 2-core VM shares its cores; the emulator's own CPU per call moved
   * by 1.3x between rounds) slows both of a pair alike: the ratio within a round is steadier than a
   * ratio of two medians taken from different rounds.
   */
  static List<Double> cpuRatiosByRound(List<Timeline> plains, List<Timeline> jobs, long records) {
    if (plains.size() != jobs.size()) {
      throw new IllegalArgumentException(
          plains.size() + " loop runs for " + jobs.size() + " jobs: rounds pair one of each");
    }
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < plains.size(); round++) {
      ratios.add(
          plains.get(round).steadyCpuMsPer1000(records)
              / jobs.get(round).steadyCpuMsPer1000(records));
    }
    return ratios;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static List<Long> rounded(List<Double> values) {
    return values.stream().map(Math::round).toList();
  }
}
