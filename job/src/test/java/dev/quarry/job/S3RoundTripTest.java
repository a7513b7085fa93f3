package dev.quarry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.pipeline.BatchInferencePipeline;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.OutputFile;
import dev.quarry.job.testing.RecordingProgressReporter;
import dev.quarry.job.testing.SharedS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same job reads and writes {@code s3://} through S3Proxy and the flink-s3-fs-hadoop plugin,
 * and {@code file://}.
 */
class S3RoundTripTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  static BedrockEmulator emulator;
  static SharedS3 s3;

  @BeforeAll
  static void start() {
    s3 = SharedS3.get();
    emulator = BedrockEmulator.builder().port(0).build().start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static JobSpec spec(String jobId, String input, String output) {
    return JobSpec.builder()
        .jobId(jobId)
        .inputUri(input)
        .outputUri(output)
        .modelId(MODEL)
        .bedrock(
            BedrockEndpoint.staticKeys(emulator.endpoint().toString(), "us-east-1", "test", "test"))
        .checkpointIntervalMillis(500)
        .progressIntervalMillis(200)
        .parallelism(2)
        .build();
  }

  private static void run(JobSpec spec) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    BatchInferencePipeline.build(env, spec, RecordingProgressReporter.factory());
    env.execute(QuarryJob.jobName(spec));
  }

  @Test
  void readsAndWritesS3() throws Exception {
    s3.createBucket("rt-in");
    s3.createBucket("rt-out");
    s3.put("rt-in", "job1/a.jsonl", Corpus.file("a", 120));
    s3.put("rt-in", "job1/nested/b.jsonl", Corpus.file("b", 40));
    s3.put("rt-in", "job1/notes.txt", "not input".getBytes(StandardCharsets.UTF_8));

    JobSpec spec = spec("s3roundtrip1", "s3://rt-in/job1/", "s3://rt-out/results");
    run(spec);

    assertThat(s3.keys("rt-out", "results/"))
        .containsExactly(
            "results/s3roundtrip1/a.jsonl.out",
            "results/s3roundtrip1/manifest.json.out",
            "results/s3roundtrip1/nested/b.jsonl.out");
    List<JsonNode> a = OutputFile.parse(s3.getString("rt-out", "results/s3roundtrip1/a.jsonl.out"));
    assertThat(a).hasSize(120);
    assertThat(a)
        .allSatisfy(
            line -> {
              assertThat(line.has("modelOutput")).isTrue();
              assertThat(line.path("modelOutput").path("content").get(0).path("text").asText())
                  .contains("prompt " + line.path("recordId").asText());
            });
    assertThat(a.stream().map(l -> l.path("recordId").asText()).distinct()).hasSize(120);
    Manifest manifest =
        Manifest.fromJson(s3.getString("rt-out", "results/s3roundtrip1/manifest.json.out"));
    assertThat(manifest.totalRecordCount()).isEqualTo(160);
    assertThat(manifest.successRecordCount()).isEqualTo(160);
    assertThat(manifest.errorRecordCount()).isZero();
    assertThat(manifest.inputTokenCount()).isPositive();
    assertThat(manifest.outputTokenCount()).isPositive();
  }

  @Test
  void readsAndWritesLocalFiles(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in/sub"));
    Files.write(dir.resolve("in/x.jsonl"), Corpus.file("x", 30));
    Files.write(in.resolve("y.jsonl"), Corpus.file("y", 20));

    JobSpec spec =
        spec(
            "localfiles01",
            dir.resolve("in").toUri().toString(),
            dir.resolve("out").toUri().toString());
    run(spec);

    Path jobDir = dir.resolve("out/localfiles01");
    assertThat(OutputFile.parse(Files.readString(jobDir.resolve("x.jsonl.out")))).hasSize(30);
    assertThat(OutputFile.parse(Files.readString(jobDir.resolve("sub/y.jsonl.out")))).hasSize(20);
    Manifest manifest = Manifest.fromJson(Files.readString(jobDir.resolve("manifest.json.out")));
    assertThat(manifest.processedRecordCount()).isEqualTo(50);
    try (var files = Files.walk(jobDir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .as("no in-progress files left behind")
          .containsExactlyInAnyOrder("x.jsonl.out", "y.jsonl.out", "manifest.json.out");
    }
    assertThat(RecordingProgressReporter.reports("localfiles01"))
        .anySatisfy(r -> assertThat(r.isFinal()).isTrue());
  }
}
