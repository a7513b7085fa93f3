package dev.quarry.job.testing;

import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.job.QuarryJob;
import dev.quarry.job.pipeline.BatchInferencePipeline;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.JobSpec;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds specs against the emulator and runs them on the test's MiniCluster. */
public final class JobRun {
  public static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";

  private JobRun() {}

  /** A spec calling {@code emulator} with short checkpoint and progress intervals. */
  public static JobSpec.Builder spec(
      BedrockEmulator emulator, String jobId, String input, String output) {
    return JobSpec.builder()
        .jobId(jobId)
        .inputUri(input)
        .outputUri(output)
        .modelId(CLAUDE)
        .bedrock(
            BedrockEndpoint.staticKeys(emulator.endpoint().toString(), "us-east-1", "test", "test"))
        .checkpointIntervalMillis(Long.getLong("cp", 500))
        .progressIntervalMillis(200)
        .parallelism(2);
  }

  /** Runs the job to completion. */
  public static void run(JobSpec spec) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    BatchInferencePipeline.build(env, spec, RecordingProgressReporter.factory());
    env.execute(QuarryJob.jobName(spec));
  }

  /** Starts the job and returns at once. */
  public static JobClient start(JobSpec spec) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    BatchInferencePipeline.build(env, spec, RecordingProgressReporter.factory());
    return env.executeAsync(QuarryJob.jobName(spec));
  }
}
