package dev.quarry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.S3InputFormat;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What a Bedrock batch user does, against Quarry: upload JSONL to S3, {@code
 * CreateModelInvocationJob}, watch {@code GetModelInvocationJob} until the job ends, read the
 * manifest and the output. Only the AWS SDK is used; exits 0 only when the job Completed and the
 * output checks out.
 */
public final class DemoClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INPUT_BUCKET = "quarry-demo-input";
  private static final String OUTPUT_BUCKET = "quarry-demo-output";
  private static final Map<String, Integer> FILES = new LinkedHashMap<>();

  static {
    FILES.put("questions/history.jsonl", 200);
    FILES.put("questions/science.jsonl", 100);
  }

  private DemoClient() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    // the key pair scripts/quarry serve prints; there is no default key
    String accessKey = opts.get("access-key");
    String secretKey = opts.get("secret-key");
    Region region = Region.of(opts.getOrDefault("region", "us-east-1"));
    String model = opts.getOrDefault("model", "anthropic.claude-3-haiku-20240307-v1:0");
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    try (S3Client s3 =
            S3Client.builder()
                .endpointOverride(URI.create(opts.get("s3")))
                .forcePathStyle(true)
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        BedrockClient bedrock =
            BedrockClient.builder()
                .endpointOverride(URI.create(opts.get("control-plane")))
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      System.exit(run(s3, bedrock, model, opts.get("prices")) ? 0 : 1);
    }
  }

  private static boolean run(S3Client s3, BedrockClient bedrock, String model, String prices)
      throws Exception {
    for (String bucket : List.of(INPUT_BUCKET, OUTPUT_BUCKET)) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
    int total = 0;
    for (Map.Entry<String, Integer> f : FILES.entrySet()) {
      String prefix = f.getKey().substring(f.getKey().indexOf('/') + 1, f.getKey().indexOf('.'));
      String body = String.join("\n", SampleInput.records(prefix, f.getValue())) + "\n";
      s3.putObject(b -> b.bucket(INPUT_BUCKET).key(f.getKey()), RequestBody.fromString(body));
      total += f.getValue();
      System.out.printf(
          "uploaded s3://%s/%s (%d records)%n", INPUT_BUCKET, f.getKey(), f.getValue());
    }

    Instant started = Instant.now();
    String jobArn =
        bedrock
            .createModelInvocationJob(
                b ->
                    b.jobName("quarry-demo-" + started.getEpochSecond())
                        .roleArn("arn:aws:iam::000000000000:role/QuarryDemo")
                        .modelId(model)
                        .inputDataConfig(
                            ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                                s ->
                                    s.s3Uri("s3://" + INPUT_BUCKET + "/questions/")
                                        .s3InputFormat(S3InputFormat.JSONL)))
                        .outputDataConfig(
                            ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                                s -> s.s3Uri("s3://" + OUTPUT_BUCKET + "/results/")))
                        .timeoutDurationInHours(24))
            .jobArn();
    System.out.println("created " + jobArn);

    GetModelInvocationJobResponse job = watch(bedrock, jobArn);
    System.out.printf(
        "%nfinal status: %s after %.1f s%s%n",
        job.statusAsString(),
        Duration.between(started, Instant.now()).toMillis() / 1000.0,
        job.message() == null ? "" : " (" + job.message() + ")");
    if (job.status() != ModelInvocationJobStatus.COMPLETED) {
      return false;
    }
    String jobId = jobArn.substring(jobArn.lastIndexOf('/') + 1);
    String folder = "results/" + jobId + "/";
    String manifest = read(s3, folder + "manifest.json.out");
    System.out.println("manifest.json.out: " + manifest);
    if (prices != null) {
      System.out.println(DemoCost.line(Path.of(prices), model, JSON.readTree(manifest)));
    }
    return check(s3, folder, JSON.readTree(manifest), total, job);
  }

  /** Polls the job, drawing a progress bar from its live counts, until it is terminal. */
  private static GetModelInvocationJobResponse watch(BedrockClient bedrock, String jobArn)
      throws InterruptedException {
    boolean tty = System.console() != null;
    String lastLine = "";
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      GetModelInvocationJobResponse job =
          bedrock.getModelInvocationJob(b -> b.jobIdentifier(jobArn));
      String line = progressLine(job);
      if (!line.equals(lastLine)) {
        System.out.print(tty ? "\r" + line : line + "\n");
        System.out.flush();
        lastLine = line;
      }
      switch (job.status()) {
        case COMPLETED, FAILED, STOPPED, PARTIALLY_COMPLETED, EXPIRED -> {
          return job;
        }
        default -> Thread.sleep(250);
      }
    }
    throw new IllegalStateException("The job did not finish within 10 minutes");
  }

  static String progressLine(GetModelInvocationJobResponse job) {
    long total = job.totalRecordCount() == null ? 0 : job.totalRecordCount();
    long processed = job.processedRecordCount() == null ? 0 : job.processedRecordCount();
    int width = 30;
    int filled = total == 0 ? 0 : (int) Math.min(width, processed * width / total);
    return String.format(
        "[%s%s] %d/%s processed (%d ok, %d errors)  %-12s",
        "#".repeat(filled),
        ".".repeat(width - filled),
        processed,
        total == 0 ? "?" : Long.toString(total),
        job.successRecordCount() == null ? 0 : job.successRecordCount(),
        job.errorRecordCount() == null ? 0 : job.errorRecordCount(),
        job.statusAsString());
  }

  /** The output answers every input record once, the manifest and Get agree with it. */
  private static boolean check(
      S3Client s3, String folder, JsonNode manifest, int total, GetModelInvocationJobResponse job)
      throws Exception {
    boolean ok = true;
    Set<String> ids = new HashSet<>();
    int shown = 0;
    for (Map.Entry<String, Integer> f : FILES.entrySet()) {
      String out = read(s3, folder + f.getKey().substring(f.getKey().indexOf('/') + 1) + ".out");
      List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
      if (lines.size() != f.getValue()) {
        System.out.printf(
            "FAIL: %s.out has %d lines, expected %d%n", f.getKey(), lines.size(), f.getValue());
        ok = false;
      }
      for (String line : lines) {
        JsonNode node = JSON.readTree(line);
        if (!ids.add(node.path("recordId").asText()) || !node.has("modelOutput")) {
          System.out.println("FAIL: unexpected line " + line);
          ok = false;
        }
        if (shown < 3) {
          System.out.println(
              "output: " + (line.length() > 300 ? line.substring(0, 300) + "…" : line));
          shown++;
        }
      }
    }
    for (String field : List.of("totalRecordCount", "processedRecordCount", "successRecordCount")) {
      if (manifest.path(field).asLong() != total) {
        System.out.printf(
            "FAIL: manifest %s is %d, expected %d%n", field, manifest.path(field).asLong(), total);
        ok = false;
      }
    }
    if (job.successRecordCount() == null || job.successRecordCount() != total) {
      System.out.println(
          "FAIL: GetModelInvocationJob reports " + job.successRecordCount() + " successes");
      ok = false;
    }
    System.out.println(
        ok ? "demo: OK, " + total + " records answered exactly once" : "demo: FAILED");
    return ok;
  }

  private static String read(S3Client s3, String key) {
    return s3.getObjectAsBytes(b -> b.bucket(OUTPUT_BUCKET).key(key))
        .asString(StandardCharsets.UTF_8);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("Expected --name value pairs, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    for (String required : List.of("control-plane", "s3", "access-key", "secret-key")) {
      if (!opts.containsKey(required)) {
        throw new IllegalArgumentException(
            "Usage: DemoClient --control-plane URL --s3 URL "
                + "--access-key K --secret-key S [--region R --model ID]");
      }
    }
    return opts;
  }
}
