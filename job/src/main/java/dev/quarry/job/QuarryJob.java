package dev.quarry.job;

import dev.quarry.job.pipeline.BatchInferencePipeline;
import dev.quarry.job.progress.JdbcProgressReporterFactory;
import dev.quarry.job.progress.LoggingProgressReporter;
import dev.quarry.job.progress.ProgressReporterFactory;
import dev.quarry.job.spec.JobSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point for {@code flink run quarry-job-flink.jar --spec-file spec.json} (or {@code --spec
 * '<json>'}): runs the same pipeline the control plane submits.
 */
public final class QuarryJob {
  private QuarryJob() {}

  public static void main(String[] args) throws Exception {
    JobSpec spec = parseArgs(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    BatchInferencePipeline.build(env, spec, reporterFactory(spec));
    env.execute(jobName(spec));
  }

  /** The Flink job name, by which the control plane finds a job on a cluster. */
  public static String jobName(JobSpec spec) {
    return "quarry-" + spec.jobId();
  }

  /** The reporter the spec asks for: its status store, or the log when it names none. */
  public static ProgressReporterFactory reporterFactory(JobSpec spec) {
    return spec.statusStore() == null
        ? LoggingProgressReporter.factory()
        : new JdbcProgressReporterFactory(spec.statusStore());
  }

  static JobSpec parseArgs(String[] args) throws IOException {
    for (int i = 0; i + 1 < args.length; i++) {
      if ("--spec".equals(args[i])) {
        return JobSpec.fromJson(args[i + 1]);
      }
      if ("--spec-file".equals(args[i])) {
        return JobSpec.fromJson(Files.readString(Path.of(args[i + 1]), StandardCharsets.UTF_8));
      }
    }
    throw new IllegalArgumentException(
        "Usage: QuarryJob --spec '<job spec JSON>' | --spec-file <path>");
  }
}
