package dev.quarry.bench;

import java.time.Duration;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;

/** Submits a batch job through the Bedrock API, as a user would, and watches it to its end. */
final class JobWatcher {
  /** How often a job is polled unless told otherwise: fine enough for the phases of a small job. */
  private static final long DEFAULT_POLL_MILLIS = 50;

  private final BedrockClient bedrock;
  private final CpuClock cpu;
  private final long pollMillis;

  JobWatcher(BedrockClient bedrock) {
    this(bedrock, null);
  }

  /** A watcher whose timelines carry the CPU time {@code cpu} reads at every poll. */
  JobWatcher(BedrockClient bedrock, CpuClock cpu) {
    this(bedrock, cpu, DEFAULT_POLL_MILLIS);
  }

  /** The same, polling every {@code pollMillis}. */
  JobWatcher(BedrockClient bedrock, CpuClock cpu, long pollMillis) {
    if (pollMillis < 1) {
      throw new IllegalArgumentException("pollMillis must be positive, was " + pollMillis);
    }
    this.bedrock = bedrock;
    this.cpu = cpu;
    this.pollMillis = pollMillis;
  }

  /** A job request for {@code modelId} over {@code inputUri}. */
  static CreateModelInvocationJobRequest request(
      String name, String modelId, String inputUri, String outputUri) {
    return CreateModelInvocationJobRequest.builder()
        .jobName(name)
        .roleArn("arn:aws:iam::000000000000:role/BenchRole")
        .modelId(modelId)
        .inputDataConfig(
            ModelInvocationJobInputDataConfig.fromS3InputDataConfig(s -> s.s3Uri(inputUri)))
        .outputDataConfig(
            ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(s -> s.s3Uri(outputUri)))
        .build();
  }

  /** The same request tagged {@code quarry:priority} = {@code priority}. */
  static CreateModelInvocationJobRequest withPriority(
      CreateModelInvocationJobRequest request, String priority) {
    return request.toBuilder()
        .tags(
            software.amazon.awssdk.services.bedrock.model.Tag.builder()
                .key("quarry:priority")
                .value(priority)
                .build())
        .build();
  }

  /**
   * Creates the job and polls it until it ends; fails when it has not ended after {@code timeout}.
   */
  JobRun run(CreateModelInvocationJobRequest request, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    String arn = bedrock.createModelInvocationJob(request).jobArn();
    double scheduled = Double.NaN;
    double inProgress = Double.NaN;
    double firstProgress = Double.NaN;
    double allProcessed = Double.NaN;
    Timeline timeline = new Timeline();
    long deadline = start + timeout.toNanos();
    while (true) {
      GetModelInvocationJobResponse job = bedrock.getModelInvocationJob(b -> b.jobIdentifier(arn));
      double now = (System.nanoTime() - start) / 1e9;
      int rank = rank(job.status());
      long processed = job.processedRecordCount() == null ? 0 : job.processedRecordCount();
      long total = job.totalRecordCount() == null ? -1 : job.totalRecordCount();
      if (cpu == null) {
        timeline.add(now, processed);
      } else {
        timeline.add(now, processed, cpu.read());
      }
      if (rank >= 2 && Double.isNaN(scheduled)) {
        scheduled = now;
      }
      if (rank >= 3 && Double.isNaN(inProgress)) {
        inProgress = now;
      }
      if (processed > 0 && Double.isNaN(firstProgress)) {
        firstProgress = now;
      }
      if (total >= 0 && processed >= total && rank >= 3 && Double.isNaN(allProcessed)) {
        allProcessed = now;
      }
      if (rank == 4) {
        return new JobRun(
            arn, job, scheduled, inProgress, firstProgress, allProcessed, now, timeline);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "job " + arn + " did not end within " + timeout + "; last seen " + job);
      }
      Thread.sleep(pollMillis);
    }
  }

  /** 0 submitted, 1 validating, 2 scheduled, 3 running or stopping, 4 ended. */
  private static int rank(ModelInvocationJobStatus status) {
    return switch (status) {
      case SUBMITTED -> 0;
      case VALIDATING -> 1;
      case SCHEDULED -> 2;
      case IN_PROGRESS, STOPPING -> 3;
      default -> 4;
    };
  }
}
