package dev.quarry.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.controlplane.cluster.ClusterS3Check;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyFile;
import dev.quarry.controlplane.launch.SecretsStayOutOfFlinkTest;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.job.io.FileSystemSetup;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.io.S3Settings;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.OutputFile;
import dev.quarry.job.testing.SharedS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Quarry on a real standalone Flink cluster (a JobManager and a TaskManager in their own JVMs): the
 * job shows in the cluster's job list, its TaskManager reports progress to the status store from
 * its own JVM, and when the TaskManager is killed mid-job and a new one started, the job completes
 * with exactly the right output.
 *
 * <p>The stack listens on the ports {@code conf/flink/config.yaml} expects: S3 on 8091, so the
 * cluster's S3 settings work as shipped; the cluster is started first with {@code --keys-from} the
 * stack's data directory, which creates the random pair the stack then uses. A second control plane
 * on another S3 shows that a cluster reading a different S3 is caught before anything is submitted.
 */
class RemoteClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RECORDS = 1500;
  @TempDir static Path dir;
  static FlinkClusterScript cluster;
  static String flinkRest;
  static Path jobJar;
  static LocalStack stack;
  static AccessKey key;
  static StaticCredentialsProvider keys;

  @BeforeAll
  static void start() throws Exception {
    cluster = new FlinkClusterScript(dir.resolve("cluster"));
    // before the stack ever ran on its data directory, as a user starting the cluster first would
    flinkRest = cluster.start(dir.resolve("data"));
    Path config = dir.resolve("quarry.properties");
    try (var jars = Files.list(Path.of("..", "job", "target"))) {
      jobJar =
          jars.filter(p -> p.getFileName().toString().matches("quarry-job-.*-flink\\.jar"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the shaded job jar is not built"));
    }
    Files.writeString(
        config,
        String.join(
            "\n",
            "quarry.flink.plugins-dir=" + System.getProperty("quarry.flink.plugins-dir"),
            "quarry.flink.job-jar=" + jobJar.toAbsolutePath(),
            "quarry.job.checkpoint-interval-ms=1000",
            "quarry.job.requests-per-minute=3000",
            "quarry.jobs.poll-interval-ms=200",
            ""));
    List<AccessKey> created = KeyFile.read(KeyFile.in(dir.resolve("data")));
    stack = LocalStack.start(new ServeOptions(8090, dir.resolve("data"), config, flinkRest));
    key = stack.key();
    assertThat(created)
        .as("--keys-from created the stack's key, which the stack then used")
        .containsExactly(key);
    keys =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(key.accessKey(), key.secretKey()));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (stack != null) {
        stack.close();
      }
    } finally {
      cluster.stop();
      FileSystemSetup.initialize(
          Path.of(System.getProperty("quarry.flink.plugins-dir")), SharedS3.get().settings());
    }
  }

  @Test
  void aJobSurvivesItsTaskManagerBeingKilled() throws Exception {
    URI controlPlane = stack.endpoints().get("control-plane");
    URI s3Endpoint = stack.endpoints().get("s3");
    try (S3Client s3 =
            S3Client.builder()
                .endpointOverride(s3Endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(keys)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        BedrockClient bedrock =
            BedrockClient.builder()
                .endpointOverride(controlPlane)
                .region(Region.US_EAST_1)
                .credentialsProvider(keys)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      s3.createBucket(b -> b.bucket("cluster-in"));
      s3.createBucket(b -> b.bucket("cluster-out"));
      s3.putObject(
          b -> b.bucket("cluster-in").key("in/a.jsonl"),
          RequestBody.fromBytes(Corpus.file("a", RECORDS / 2)));
      s3.putObject(
          b -> b.bucket("cluster-in").key("in/b.jsonl"),
          RequestBody.fromBytes(Corpus.file("b", RECORDS / 2)));
      String arn =
          bedrock
              .createModelInvocationJob(
                  b ->
                      b.jobName("on-a-cluster")
                          .roleArn("arn:aws:iam::000000000000:role/R")
                          .modelId("anthropic.claude-3-haiku-20240307-v1:0")
                          .inputDataConfig(
                              ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                                  s -> s.s3Uri("s3://cluster-in/in/")))
                          .outputDataConfig(
                              ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                                  s -> s.s3Uri("s3://cluster-out/r/"))))
              .jobArn();
      String jobId = arn.substring(arn.lastIndexOf('/') + 1);

      ControlPlaneFixture.await(
          bedrock,
          arn,
          r -> r.processedRecordCount() != null && r.processedRecordCount() >= 300,
          Duration.ofSeconds(120));
      assertThat(clusterJobNames())
          .as("the job runs on the cluster, not in the control plane")
          .contains("quarry-" + jobId);

      cluster.killTaskManager();
      cluster.startTaskManager();

      GetModelInvocationJobResponse done =
          ControlPlaneFixture.await(
              bedrock,
              arn,
              r ->
                  r.status() == ModelInvocationJobStatus.COMPLETED
                      || r.status() == ModelInvocationJobStatus.FAILED,
              Duration.ofSeconds(240));
      assertThat(done.status()).as(done.message()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
      assertThat(done.successRecordCount()).isEqualTo(RECORDS);

      String folder = "r/" + jobId + "/";
      Set<String> ids = new HashSet<>();
      for (String name : List.of("a.jsonl.out", "b.jsonl.out")) {
        List<JsonNode> lines =
            OutputFile.parse(
                s3.getObjectAsBytes(b -> b.bucket("cluster-out").key(folder + name))
                    .asUtf8String());
        assertThat(lines)
            .hasSize(RECORDS / 2)
            .allSatisfy(l -> assertThat(l.has("modelOutput")).isTrue());
        lines.forEach(
            l -> assertThat(ids.add(l.path("recordId").asText())).as("duplicate line").isTrue());
      }
      Manifest manifest =
          Manifest.fromJson(
              s3.getObjectAsBytes(b -> b.bucket("cluster-out").key(folder + "manifest.json.out"))
                  .asUtf8String());
      assertThat(manifest.processedRecordCount()).isEqualTo(RECORDS);
      assertThat(manifest.successRecordCount()).isEqualTo(RECORDS);
      assertThat(s3.listObjectsV2(b -> b.bucket("cluster-out").prefix(folder)).contents())
          .as("no partial or leftover objects")
          .hasSize(3);
      assertThat(Files.readString(dir.resolve("cluster/log/flink-jobmanager.log")))
          .as("the source, on the cluster's JobManager, read validation's listing from the store")
          .contains("Job " + jobId + ": reading the 2 input files validation counted");
      assertThat(stack.controlPlane().store().validatedInput(jobId))
          .as("gone with the job's end")
          .isEmpty();

      // The TaskManagers signed every call with the secret read from the data directory's file;
      // Flink's
      // REST API shows neither it nor the S3 secret of the cluster's config (the same pair here).
      String flinkJobId = stack.controlPlane().store().find(jobId).orElseThrow().flinkJobId();
      Map<String, String> answers =
          SecretsStayOutOfFlinkTest.restAnswers(URI.create(flinkRest), flinkJobId);
      assertThat(answers.get("jobs/" + flinkJobId)).contains("quarry-" + jobId);
      answers.forEach((path, body) -> assertThat(body).as(path).doesNotContain(key.secretKey()));
      assertThat(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create(flinkRest + "/jars")).GET().build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .as("web submission (jar upload and run) is off")
          .isEqualTo(404);
    }
  }

  @Test
  void theClusterGotTheStacksPairWhereOnlyItsOwnerCanReadIt() throws Exception {
    Map<String, String> config =
        ClusterS3Check.parse(
            JSON.readTree(
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(URI.create(flinkRest + "/jobmanager/config"))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body()));
    assertThat(config)
        .as("the access key the control plane compares")
        .containsEntry("s3.access-key", key.accessKey());
    assertThat(config.get("s3.secret-key")).as("masked").isEqualTo("******");
    assertThat(Files.readString(cluster.config())).contains(key.secretKey());
    assertThat(Files.getPosixFilePermissions(cluster.config()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(cluster.config().getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    List<Path> pids = cluster.pidFiles();
    assertThat(pids).as("a JobManager and a TaskManager").hasSizeGreaterThanOrEqualTo(2);
    for (Path pid : pids) {
      Path cmdline = Path.of("/proc", Files.readString(pid).trim(), "cmdline");
      assertThat(new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8))
          .as("the command line of %s, which ps shows", pid.getFileName())
          .contains("--configDir")
          .doesNotContain(key.secretKey());
    }
  }

  @Test
  void aControlPlaneOnAnotherS3FailsItsJobWithoutSubmittingIt() throws Exception {
    SharedS3 elsewhere = SharedS3.get(); // an S3Proxy on a random port, not the cluster's 8091
    elsewhere.createBucket("elsewhere-in");
    elsewhere.createBucket("elsewhere-out");
    elsewhere.put("elsewhere-in", "in/a.jsonl", Corpus.file("a", 20));
    String ours = elsewhere.settings().endpoint();
    try (ControlPlaneFixture plane =
        new ControlPlaneFixture(
            dir.resolve("elsewhere"),
            Map.of(
                "quarry.flink.mode",
                "remote",
                "quarry.flink.rest-url",
                flinkRest,
                "quarry.flink.job-jar",
                jobJar.toAbsolutePath().toString(),
                // A remote cluster is only ever given references (the job is never submitted here
                // anyway).
                "quarry.bedrock.secret-access-key-ref",
                "env:QUARRY_TEST_BEDROCK_SECRET"))) {
      // The control plane's first S3 call loads the S3A classes into a fresh plugin class loader
      // (seconds on a busy machine): done before the clock of the await below starts.
      assertThat(
              new org.apache.flink.core.fs.Path("s3://elsewhere-in/in/a.jsonl")
                  .getFileSystem()
                  .exists(new org.apache.flink.core.fs.Path("s3://elsewhere-in/in/a.jsonl")))
          .isTrue();
      String arn =
          plane
              .bedrock()
              .createModelInvocationJob(
                  b ->
                      b.jobName("on-another-s3")
                          .roleArn(ControlPlaneFixture.ROLE)
                          .modelId(ControlPlaneFixture.MODEL)
                          .inputDataConfig(
                              ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                                  s -> s.s3Uri("s3://elsewhere-in/in/")))
                          .outputDataConfig(
                              ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                                  s -> s.s3Uri("s3://elsewhere-out/r/"))))
              .jobArn();
      String jobId = arn.substring(arn.lastIndexOf('/') + 1);

      GetModelInvocationJobResponse done =
          plane.await(
              arn,
              r ->
                  r.status() == ModelInvocationJobStatus.FAILED
                      || r.status() == ModelInvocationJobStatus.COMPLETED,
              Duration.ofSeconds(10));
      assertThat(done.status()).isEqualTo(ModelInvocationJobStatus.FAILED);
      assertThat(done.message())
          .as("names the setting and both values")
          .contains("s3.endpoint is http://127.0.0.1:8091")
          .contains(ours)
          .contains("quarry.s3.endpoint");
      assertThat(done.totalRecordCount())
          .as("validation read the input on the control plane's S3")
          .isEqualTo(20);
      assertThat(clusterJobNames()).as("nothing was submitted").doesNotContain("quarry-" + jobId);
    } finally {
      FileSystemSetup.initialize(
          Path.of(System.getProperty("quarry.flink.plugins-dir")),
          new S3Settings(
              stack.endpoints().get("s3").toString(), true, key.accessKey(), key.secretKey()));
    }
  }

  private static List<String> clusterJobNames() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(flinkRest + "/jobs/overview")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    List<String> names = new java.util.ArrayList<>();
    JSON.readTree(response.body()).path("jobs").forEach(j -> names.add(j.path("name").asText()));
    return names;
  }
}
