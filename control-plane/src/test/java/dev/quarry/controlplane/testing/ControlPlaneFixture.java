package dev.quarry.controlplane.testing;

import dev.quarry.controlplane.QuarryControlPlane;
import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyFile;
import dev.quarry.controlplane.keys.KeyGenerator;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.job.io.S3Settings;
import dev.quarry.job.testing.SharedS3;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.S3InputFormat;

/**
 * A running control plane with embedded Flink, against the JVM's shared S3Proxy and an emulator,
 * and the real AWS SDK {@link BedrockClient} pointed at it.
 */
public final class ControlPlaneFixture implements AutoCloseable {
  public static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  public static final String ROLE = "arn:aws:iam::123456789012:role/BatchRole";

  public final SharedS3 s3 = SharedS3.get();
  public final BedrockEmulator emulator;
  public final MutableClock clock = new MutableClock();
  private final Path dataDir;
  private final Map<String, String> settings;
  private final AccessKey key;
  private QuarryControlPlane plane;
  private BedrockClient client;

  public ControlPlaneFixture(Path dataDir, Map<String, String> overrides) throws Exception {
    this.dataDir = dataDir;
    this.emulator = BedrockEmulator.builder().port(0).build().start();
    S3Settings s3Settings = s3.settings();
    settings = new HashMap<>();
    settings.put("quarry.api.port", "0");
    settings.put("quarry.data-dir", dataDir.toString());
    settings.put("quarry.account-id", "123456789012");
    settings.put("quarry.bedrock.endpoint", emulator.endpoint().toString());
    settings.put("quarry.bedrock.access-key-id", "test");
    settings.put("quarry.bedrock.secret-access-key", "test");
    settings.put("quarry.s3.endpoint", s3Settings.endpoint());
    settings.put("quarry.s3.path-style-access", "true");
    settings.put("quarry.s3.access-key", s3Settings.accessKey());
    settings.put("quarry.s3.secret-key", s3Settings.secretKey());
    settings.put("quarry.flink.plugins-dir", System.getProperty("quarry.flink.plugins-dir"));
    settings.put("quarry.flink.slots-per-task-manager", "4");
    settings.put("quarry.jobs.poll-interval-ms", "100");
    settings.put("quarry.job.checkpoint-interval-ms", "500");
    settings.put("quarry.job.progress-interval-ms", "200");
    settings.putAll(overrides);
    key = createKey(dataDir, settings.get("quarry.account-id"));
    start();
  }

  /** Starts (or restarts, on the same data directory) the control plane. */
  public void start() throws Exception {
    ControlPlaneConfig config = ControlPlaneConfig.from(new ConfigSource(settings, Map.of()));
    plane = QuarryControlPlane.start(config, clock);
    client = clientFor(key);
  }

  /**
   * The real SDK client signing with {@code key}, at the control plane's (test-moved) time, so
   * moving the clock does not expire requests. Close it after use.
   */
  public BedrockClient clientFor(AccessKey key) {
    return BedrockClient.builder()
        .endpointOverride(plane.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(key.accessKey(), key.secretKey())))
        .putAuthScheme(new ClockedSigV4(clock))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** A Get answer whose status is any of {@code statuses}: what a test waits for. */
  public static Predicate<GetModelInvocationJobResponse> statusIn(
      ModelInvocationJobStatus... statuses) {
    Set<ModelInvocationJobStatus> any = Set.of(statuses);
    return r -> any.contains(r.status());
  }

  /**
   * A Create request for a job of {@link #MODEL} on JSONL input at {@code input}, writing to {@code
   * output}; tests add what they vary.
   */
  public static CreateModelInvocationJobRequest.Builder jobRequest(
      String name, String input, String output) {
    return CreateModelInvocationJobRequest.builder()
        .jobName(name)
        .roleArn(ROLE)
        .modelId(MODEL)
        .inputDataConfig(
            ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                s -> s.s3Uri(input).s3InputFormat(S3InputFormat.JSONL)))
        .outputDataConfig(
            ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(s -> s.s3Uri(output)));
  }

  /**
   * The real SDK client signing with this key pair at the real time and never retrying, so a test
   * sees each answer as it came (a 429, a 403). Close it after use.
   */
  public BedrockClient unretriedClient(String accessKey, String secretKey) {
    return BedrockClient.builder()
        .endpointOverride(plane.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /**
   * A new random key of {@code account} that may use every bucket, added to the data directory's
   * key file as the CLI does.
   */
  public static AccessKey createKey(Path dataDir, String account) throws IOException {
    return createKey(dataDir, account, List.of("s3://"), List.of("s3://"));
  }

  /**
   * A new random key of {@code account} with these allow-lists, added to the data directory's key
   * file.
   */
  public static AccessKey createKey(
      Path dataDir, String account, List<String> allowInput, List<String> allowOutput)
      throws IOException {
    AccessKey key = new KeyGenerator().generate(account, allowInput, allowOutput);
    addKey(dataDir, key);
    return key;
  }

  /**
   * Adds {@code key} to the data directory's key file (a running control plane follows within
   * seconds).
   */
  public static void addKey(Path dataDir, AccessKey key) throws IOException {
    List<AccessKey> keys = new ArrayList<>(KeyFile.read(KeyFile.in(dataDir)));
    keys.add(key);
    KeyFile.write(KeyFile.in(dataDir), keys);
  }

  /** The key {@link #bedrock()} signs with. */
  public AccessKey key() {
    return key;
  }

  /** Signed requests the SDK would not send, with {@link #key()}. */
  public SignedHttp http() {
    return new SignedHttp(plane.endpoint(), key);
  }

  /** Stops the control plane (and its embedded Flink, killing running jobs), as a crash would. */
  public void stop() {
    client.close();
    plane.close();
  }

  public BedrockClient bedrock() {
    return client;
  }

  public QuarryControlPlane plane() {
    return plane;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Polls Get until the job satisfies {@code done}; fails after {@code timeout}. */
  public GetModelInvocationJobResponse await(
      String jobArn, Predicate<GetModelInvocationJobResponse> done, Duration timeout)
      throws InterruptedException {
    return await(client, jobArn, done, timeout);
  }

  /**
   * Polls Get through {@code bedrock} until the job satisfies {@code done}; fails after {@code
   * timeout}.
   */
  public static GetModelInvocationJobResponse await(
      BedrockClient bedrock,
      String jobArn,
      Predicate<GetModelInvocationJobResponse> done,
      Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    GetModelInvocationJobResponse last = null;
    while (System.nanoTime() < deadline) {
      last = bedrock.getModelInvocationJob(b -> b.jobIdentifier(jobArn));
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "Job " + jobArn + " did not get there in " + timeout + "; last seen: " + last);
  }

  @Override
  public void close() {
    stop();
    emulator.close();
  }
}
