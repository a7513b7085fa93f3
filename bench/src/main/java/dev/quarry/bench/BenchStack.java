package dev.quarry.bench;

import dev.quarry.controlplane.QuarryControlPlane;
import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyFile;
import dev.quarry.controlplane.keys.KeyGenerator;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.locals3.LocalS3Config;
import dev.quarry.locals3.LocalS3Server;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole Quarry stack in this JVM, as {@code scripts/quarry serve} runs it: control plane with
 * embedded Flink and the embedded status store, S3Proxy over a folder, and the Bedrock Runtime
 * emulator; plus the AWS SDK clients a user would point at it.
 */
final class BenchStack implements AutoCloseable {

  private final BedrockEmulator emulator;
  private final LocalS3Server s3Server;
  private final QuarryControlPlane plane;
  private final BedrockClient bedrock;
  private final S3Client s3;
  private final AccessKey key;

  private BenchStack(
      BedrockEmulator emulator, LocalS3Server s3Server, QuarryControlPlane plane, AccessKey key) {
    this.emulator = emulator;
    this.s3Server = s3Server;
    this.plane = plane;
    this.key = key;
    StaticCredentialsProvider keys =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(key.accessKey(), key.secretKey()));
    this.bedrock =
        BedrockClient.builder()
            .endpointOverride(plane.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(keys)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    this.s3 =
        S3Client.builder()
            .endpointOverride(s3Server.endpoint())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(keys)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /**
   * Starts the stack under {@code workDir}. {@code controlPlaneSettings} are {@code quarry.*} keys
   * over the benchmark's base settings (for example per-model rate limits).
   */
  /** A model id the catalog routes to the emulator's OpenAI-compatible routes. */
  static final String OPENAI_ROUTED_MODEL = "bench.claude-on-openai";

  static BenchStack start(
      Path workDir,
      Path pluginsDir,
      EmulatorConfig emulatorConfig,
      Map<String, String> controlPlaneSettings)
      throws Exception {
    BedrockEmulator emulator =
        BedrockEmulator.builder().port(0).config(emulatorConfig).build().start();
    LocalS3Server s3 = null;
    // one random pair for the API, S3 and the emulator, as scripts/quarry serve has; it may use
    // every bucket
    AccessKey key = new KeyGenerator().generate("000000000000", List.of("s3://"), List.of("s3://"));
    try {
      s3 =
          LocalS3Server.start(
              LocalS3Config.builder()
                  .port(0)
                  .dataDir(workDir.resolve("s3"))
                  .credentials(key.accessKey(), key.secretKey())
                  .build());
      Map<String, String> settings = new HashMap<>();
      settings.put("quarry.api.port", "0");
      settings.put("quarry.data-dir", workDir.resolve("quarry").toString());
      // the API checks signatures: the benchmark's pair is a key of its throwaway data directory
      KeyFile.write(KeyFile.in(workDir.resolve("quarry")), List.of(key));
      settings.put("quarry.bedrock.endpoint", emulator.endpoint().toString());
      settings.put("quarry.bedrock.access-key-id", key.accessKey());
      settings.put("quarry.bedrock.secret-access-key", key.secretKey());
      settings.put("quarry.s3.endpoint", s3.endpoint().toString());
      settings.put("quarry.s3.path-style-access", "true");
      settings.put("quarry.s3.access-key", key.accessKey());
      settings.put("quarry.s3.secret-key", key.secretKey());
      settings.put("quarry.flink.plugins-dir", pluginsDir.toAbsolutePath().toString());
      // Finer progress than the 2 s default, so the benchmark sees throughput over time, but no
      // finer than scenario 1 polls: a report no poll sees is status-store writes (the writer's
      // and each model-call subtask's) that the job's side pays for and the plain loop never has;
      // every 100 ms they ran twenty times as often as on the default.
      settings.put("quarry.job.progress-interval-ms", "250");
      // The emulator's OpenAI routes stand in for an OpenAI-compatible server (scenario 1c): the
      // same Claude
      // records, translated to chat completions and back.
      settings.put("quarry.route.bench-openai.models", OPENAI_ROUTED_MODEL);
      settings.put("quarry.route.bench-openai.provider", "openai-compatible");
      settings.put("quarry.route.bench-openai.base-url", emulator.endpoint() + "/v1");
      settings.put("quarry.route.bench-openai.invoke-family", "anthropic.claude");
      settings.putAll(controlPlaneSettings);
      QuarryControlPlane plane =
          QuarryControlPlane.start(
              ControlPlaneConfig.from(new ConfigSource(settings, System.getenv())));
      return new BenchStack(emulator, s3, plane, key);
    } catch (Exception | Error e) {
      if (s3 != null) {
        s3.close();
      }
      emulator.close();
      throw e;
    }
  }

  /** The stack's one key pair (random per run). */
  AccessKey key() {
    return key;
  }

  BedrockClient bedrock() {
    return bedrock;
  }

  S3Client s3() {
    return s3;
  }

  URI emulatorEndpoint() {
    return emulator.endpoint();
  }

  /** The emulator as a job's Bedrock Runtime endpoint, signed with the stack's key. */
  BedrockEndpoint emulatorBedrock() {
    return BedrockEndpoint.staticKeys(
        emulatorEndpoint().toString(), "us-east-1", key.accessKey(), key.secretKey());
  }

  /** What the emulator saw for one model since the start. */
  ModelStats modelStats(String modelId) {
    return emulator.stats().model(modelId);
  }

  void createBucket(String name) {
    s3Server.createBucket(name);
  }

  @Override
  public void close() {
    bedrock.close();
    s3.close();
    plane.close();
    s3Server.close();
    emulator.close();
  }
}
