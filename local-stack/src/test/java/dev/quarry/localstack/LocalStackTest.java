package dev.quarry.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.ApiKeys;
import dev.quarry.job.io.FileSystemSetup;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.SharedS3;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code scripts/quarry serve}'s stack: prints its endpoints, runs a job, and keeps it across a
 * restart.
 */
class LocalStackTest {
  @AfterAll
  static void restoreSharedS3() {
    // The stack pointed this JVM's Flink file systems at its own S3; later test classes use the
    // shared one.
    FileSystemSetup.initialize(
        Path.of(System.getProperty("quarry.flink.plugins-dir")), SharedS3.get().settings());
  }

  @Test
  void theStackRunsAJobAndKeepsItAcrossARestart(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("quarry.properties");
    Files.writeString(
        config,
        "quarry.flink.plugins-dir="
            + System.getProperty("quarry.flink.plugins-dir")
            + "\n"
            + "quarry.job.checkpoint-interval-ms=500\nquarry.jobs.poll-interval-ms=100\n");
    ServeOptions options =
        ServeOptions.parse(
            new String[] {
              "--port",
              String.valueOf(freePortBase()),
              "--data-dir",
              dir.resolve("data").toString(),
              "--config",
              config.toString()
            });
    String arn;
    AccessKey key;
    try (LocalStack stack = LocalStack.start(options)) {
      key = stack.key();
      assertThat(key.accessKey()).matches("AKIA[A-Z2-7]{16}");
      assertThat(key.secretKey()).hasSize(40);
      assertThat(key.account()).isEqualTo("000000000000");
      assertThat(Files.getPosixFilePermissions(dir.resolve("data/keys.json")))
          .as("only the owner reads the key file")
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      stack.printEndpoints(new PrintStream(printed, true, StandardCharsets.UTF_8));
      String text = printed.toString(StandardCharsets.UTF_8);
      assertThat(text)
          .contains("control-plane: http://127.0.0.1:" + options.port())
          .contains("console: http://127.0.0.1:" + options.port() + "/console/")
          .contains("metrics: http://127.0.0.1:" + options.port() + "/metrics\n")
          .contains("s3: http://127.0.0.1:" + (options.port() + 1))
          .contains("emulator: http://127.0.0.1:" + (options.port() + 2))
          .contains("access-key: " + key.accessKey() + "\n")
          .contains("secret-key: " + key.secretKey() + "\n")
          .contains("api-key: " + ApiKeys.of(key) + "\n")
          .contains("openai: http://127.0.0.1:" + options.port() + "/v1/")
          .endsWith("ready\n");

      Map<String, URI> endpoints = stack.endpoints();
      try (S3Client s3 = s3(endpoints.get("s3"), key);
          BedrockClient bedrock = bedrock(endpoints.get("control-plane"), key)) {
        s3.createBucket(b -> b.bucket("stack-in"));
        s3.createBucket(b -> b.bucket("stack-out"));
        s3.putObject(
            b -> b.bucket("stack-in").key("q/a.jsonl"),
            RequestBody.fromBytes(Corpus.file("s", 40)));
        arn =
            bedrock
                .createModelInvocationJob(
                    b ->
                        b.jobName("local-stack")
                            .roleArn("arn:aws:iam::000000000000:role/R")
                            .modelId("anthropic.claude-3-haiku-20240307-v1:0")
                            .inputDataConfig(
                                ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                                    s -> s.s3Uri("s3://stack-in/q/")))
                            .outputDataConfig(
                                ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                                    s -> s.s3Uri("s3://stack-out/r/"))))
                .jobArn();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (bedrock.getModelInvocationJob(b -> b.jobIdentifier(arn)).status()
            != ModelInvocationJobStatus.COMPLETED) {
          assertThat(System.nanoTime()).as("job completes").isLessThan(deadline);
          Thread.sleep(100);
        }
      }
      // the printed metrics URL serves the finished job's records, unsigned, to loopback
      java.net.http.HttpResponse<String> metrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(endpoints.get("metrics")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains(
              "quarry_records_processed_total{account=\"000000000000\","
                  + "model=\"anthropic.claude-3-haiku-20240307-v1:0\"} 40.0\n");
    }
    String jobId = arn.substring(arn.lastIndexOf('/') + 1);
    assertThat(dir.resolve("data/s3/stack-out/r/" + jobId + "/a.jsonl.out"))
        .as("objects are files in the data dir")
        .exists();

    try (LocalStack again = LocalStack.start(options);
        BedrockClient bedrock = bedrock(again.endpoints().get("control-plane"), key);
        S3Client s3 = s3(again.endpoints().get("s3"), key)) {
      assertThat(again.key()).as("the data directory keeps its key").isEqualTo(key);
      var job = bedrock.getModelInvocationJob(b -> b.jobIdentifier(arn));
      assertThat(job.status()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
      assertThat(job.successRecordCount()).isEqualTo(40);
      assertThat(
              s3.getObjectAsBytes(
                      b -> b.bucket("stack-out").key("r/" + jobId + "/manifest.json.out"))
                  .asUtf8String())
          .contains("\"successRecordCount\":40");
    }
  }

  @Test
  void badOptionsAreExplained() {
    assertThatThrownBy(() -> ServeOptions.parse(new String[] {"--port", "http"}))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> ServeOptions.parse(new String[] {"--nope", "1"}))
        .hasMessageContaining("Usage");
    assertThatThrownBy(() -> ServeOptions.parse(new String[] {"--data-dir"}))
        .hasMessageContaining("Missing value");
  }

  /** A base port whose next two ports are free too. */
  private static int freePortBase() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        base = s.getLocalPort();
      }
      if (base < 65000 && free(base) && free(base + 1) && free(base + 2)) {
        return base;
      }
    }
    throw new IllegalStateException("no three free ports in a row");
  }

  private static boolean free(int port) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static StaticCredentialsProvider credentials(AccessKey key) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(key.accessKey(), key.secretKey()));
  }

  private static S3Client s3(URI endpoint, AccessKey key) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials(key))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static BedrockClient bedrock(URI endpoint, AccessKey key) {
    return BedrockClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials(key))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
