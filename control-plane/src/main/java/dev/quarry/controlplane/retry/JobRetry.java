package dev.quarry.controlplane.retry;

import dev.quarry.job.io.OutputNaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobS3OutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.S3InputFormat;
import software.amazon.awssdk.services.bedrock.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Re-runs what did not succeed in an ended job: writes the records without a success line (as
 * {@link ErrorSelection} picks them) under {@code <outputUri>/<jobId>/retry-<n>/}, with the input's
 * relative file names, and creates a job over them through the Bedrock API, like the old one and
 * tagged {@value #RETRY_OF_TAG} with the old job's ARN.
 *
 * <p>One input file at a time: its output file's record outcomes are held, its picked lines go to a
 * local file, so neither input nor output is ever held whole.
 */
public final class JobRetry {
  /**
   * The tag that links a retry to the job it re-runs (ARCHITECTURE decision 10: extensions ride on
   * tags).
   */
  public static final String RETRY_OF_TAG = "quarry:retry-of";

  private static final Set<ModelInvocationJobStatus> ENDED =
      EnumSet.of(
          ModelInvocationJobStatus.COMPLETED,
          ModelInvocationJobStatus.PARTIALLY_COMPLETED,
          ModelInvocationJobStatus.STOPPED,
          ModelInvocationJobStatus.FAILED,
          ModelInvocationJobStatus.EXPIRED);
  private static final String RETRY_FOLDER = "retry-";

  private final BedrockClient bedrock;
  private final S3Client s3;
  private final ErrorSelection errors;

  public JobRetry(BedrockClient bedrock, S3Client s3, ErrorSelection errors) {
    this.bedrock = bedrock;
    this.s3 = s3;
    this.errors = errors;
  }

  /**
   * Retries the job named by {@code jobIdentifier} (its ARN or id); creates nothing if nothing is
   * left to run.
   */
  public RetryResult retry(String jobIdentifier) throws IOException {
    GetModelInvocationJobResponse old =
        bedrock.getModelInvocationJob(b -> b.jobIdentifier(jobIdentifier));
    if (!ENDED.contains(old.status())) {
      throw new RetryException(
          "Job "
              + old.jobArn()
              + " is "
              + old.statusAsString()
              + ": only a job that has ended "
              + "(Completed, PartiallyCompleted, Stopped, Failed or Expired) can be retried. Wait for it to end, or stop it.");
    }
    if (old.inputDataConfig() == null
        || old.inputDataConfig().s3InputDataConfig() == null
        || old.outputDataConfig() == null
        || old.outputDataConfig().s3OutputDataConfig() == null) {
      throw new RetryException(
          "Job " + old.jobArn() + " has no S3 input or output; only S3 jobs can be retried");
    }
    String inputUri = old.inputDataConfig().s3InputDataConfig().s3Uri();
    String outputUri = old.outputDataConfig().s3OutputDataConfig().s3Uri();
    String jobId = old.jobArn().substring(old.jobArn().lastIndexOf('/') + 1);
    String jobOutputUri = (outputUri.endsWith("/") ? outputUri : outputUri + "/") + jobId + "/";
    OutputNaming naming = new OutputNaming(inputUri, jobOutputUri);
    List<InputFile> files = new InputListing(s3).list(inputUri, naming);

    Path work = Files.createTempDirectory("quarry-retry-");
    try {
      RetryCounts total = new RetryCounts();
      Map<InputFile, Path> picked = new LinkedHashMap<>();
      RetryLinePicker picker = new RetryLinePicker(s3, errors);
      for (InputFile file : files) {
        Path local = work.resolve(picked.size() + ".jsonl");
        RetryCounts counts = picker.pick(file, outcomes(naming, file), local);
        total.addAll(counts);
        if (counts.total() > 0) {
          picked.put(file, local);
        }
      }
      if (picked.isEmpty()) {
        return new RetryResult(old.jobArn(), old.statusAsString(), total, null, null, null);
      }
      S3Location jobOutput = S3Location.parse(jobOutputUri);
      int n = firstUnusedRetryNumber(jobOutput);
      S3Location retryInput = jobOutput.resolve(RETRY_FOLDER + n + "/");
      for (Map.Entry<InputFile, Path> e : picked.entrySet()) {
        S3Location target = retryInput.resolve(e.getKey().relativeName());
        s3.putObject(
            b -> b.bucket(target.bucket()).key(target.key()), RequestBody.fromFile(e.getValue()));
      }
      String name = RetryJobName.of(old.jobName(), n);
      String arn =
          bedrock.createModelInvocationJob(createRequest(old, name, retryInput.uri())).jobArn();
      return new RetryResult(
          old.jobArn(), old.statusAsString(), total, retryInput.uri(), arn, name);
    } finally {
      deleteRecursively(work);
    }
  }

  /** The outcomes in {@code file}'s output, where the job wrote it; none if it wrote none. */
  private RecordOutcomes outcomes(OutputNaming naming, InputFile file) throws IOException {
    S3Location output = S3Location.parse(naming.outputPath(file.jobPath()).toString());
    try (InputStream in = s3.getObject(b -> b.bucket(output.bucket()).key(output.key()))) {
      return RecordOutcomes.read(in, output.uri());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return RecordOutcomes.none();
      }
      throw e;
    }
  }

  /** The smallest n ≥ 1 with no {@code retry-<n>/} folder in the job's output yet. */
  private int firstUnusedRetryNumber(S3Location jobOutput) {
    String prefix = jobOutput.asFolder().key() + RETRY_FOLDER;
    Set<Integer> used = new HashSet<>();
    for (CommonPrefix folder :
        s3.listObjectsV2Paginator(b -> b.bucket(jobOutput.bucket()).prefix(prefix).delimiter("/"))
            .commonPrefixes()) {
      String number = folder.prefix().substring(prefix.length(), folder.prefix().length() - 1);
      if (number.matches("[1-9][0-9]{0,8}")) {
        used.add(Integer.parseInt(number));
      }
    }
    int n = 1;
    while (used.contains(n)) {
      n++;
    }
    return n;
  }

  private CreateModelInvocationJobRequest createRequest(
      GetModelInvocationJobResponse old, String name, String inputUri) {
    ModelInvocationJobS3OutputDataConfig output = old.outputDataConfig().s3OutputDataConfig();
    List<Tag> tags = new ArrayList<>();
    for (Tag tag : bedrock.listTagsForResource(b -> b.resourceARN(old.jobArn())).tags()) {
      if (!RETRY_OF_TAG.equals(tag.key())) {
        tags.add(tag);
      }
    }
    tags.add(Tag.builder().key(RETRY_OF_TAG).value(old.jobArn()).build());
    return CreateModelInvocationJobRequest.builder()
        .jobName(name)
        .roleArn(old.roleArn())
        .modelId(old.modelId())
        .modelInvocationType(old.modelInvocationTypeAsString())
        .timeoutDurationInHours(old.timeoutDurationInHours())
        .vpcConfig(old.vpcConfig())
        .outputDataConfig(old.outputDataConfig())
        // The retry input lives in the output bucket, so it belongs to the output's owner.
        .inputDataConfig(
            ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                s ->
                    s.s3Uri(inputUri)
                        .s3InputFormat(S3InputFormat.JSONL)
                        .s3BucketOwner(output.s3BucketOwner())))
        .tags(tags)
        .build();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the retry's work folder " + dir, e);
    }
  }
}
