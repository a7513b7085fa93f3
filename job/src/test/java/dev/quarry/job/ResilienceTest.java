package dev.quarry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.FaultRates;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.Corpus;
import dev.quarry.job.testing.JobRun;
import dev.quarry.job.testing.OutputFile;
import dev.quarry.job.testing.SharedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Throttling, transient faults and permanent failures cost retries, never records or the job. */
class ResilienceTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static BedrockEmulator emulator;

  @BeforeAll
  static void start() {
    SharedS3.get();
    emulator = BedrockEmulator.builder().port(0).build().start();
  }

  @BeforeEach
  void reset() {
    emulator.configure(EmulatorConfig.defaults());
    emulator.reset();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static void configure(ModelBehavior behavior) {
    emulator.configure(EmulatorConfig.builder().defaultBehavior(behavior).build());
  }

  private static List<JsonNode> runLocal(Path dir, JobSpec.Builder spec, byte[] input)
      throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/input.jsonl"), input);
    JobSpec s = spec.build();
    JobRun.run(s);
    Path out = dir.resolve("out").resolve(s.jobId());
    List<JsonNode> lines = OutputFile.parse(Files.readString(out.resolve("input.jsonl.out")));
    Manifest manifest = Manifest.fromJson(Files.readString(out.resolve("manifest.json.out")));
    assertThat(manifest.processedRecordCount()).isEqualTo(lines.size());
    assertThat(manifest.successRecordCount())
        .isEqualTo(lines.stream().filter(l -> l.has("modelOutput")).count());
    return lines;
  }

  private static JobSpec.Builder spec(Path dir, String jobId) {
    return JobRun.spec(
        emulator,
        jobId,
        dir.resolve("in").toUri().toString(),
        dir.resolve("out").toUri().toString());
  }

  @Test
  void aModelLimitedBelowDemandThrottlesButEveryRecordSucceeds(@TempDir Path dir) throws Exception {
    // 1,200 requests/minute with a 2-request burst; the job is not told the limit and must adapt.
    configure(
        ModelBehavior.builder()
            .limits(RateLimits.builder().requestsPerMinute(1200).requestBurst(2).build())
            .build());
    List<JsonNode> lines =
        runLocal(
            dir,
            spec(dir, "throttled001")
                .limits(
                    InvokeLimits.builder()
                        .maxConcurrency(16)
                        .maxAttempts(30)
                        .initialBackoffMillis(50)
                        .maxBackoffMillis(2000)
                        .build()),
            Corpus.file("t", 200));

    assertThat(lines)
        .hasSize(200)
        .allSatisfy(l -> assertThat(l.has("modelOutput")).as(l.toString()).isTrue());
    ModelStats stats = emulator.stats().model(JobRun.CLAUDE);
    assertThat(stats.throttled()).as("the emulator did throttle").isPositive();
    assertThat(stats.succeeded()).isEqualTo(200);
  }

  @Test
  void transientServerErrorsAreRetriedToSuccess(@TempDir Path dir) throws Exception {
    configure(
        ModelBehavior.builder()
            .faults(FaultRates.builder().internalServerError(0.05).droppedConnection(0.01).build())
            .build());
    List<JsonNode> lines = runLocal(dir, spec(dir, "transient001"), Corpus.file("f", 1000));

    assertThat(lines)
        .hasSize(1000)
        .allSatisfy(l -> assertThat(l.has("modelOutput")).as(l.toString()).isTrue());
    ModelStats stats = emulator.stats().model(JobRun.CLAUDE);
    assertThat(stats.faults().internalServerError()).isPositive();
    assertThat(stats.succeeded()).isEqualTo(1000);
    assertThat(stats.requests()).isEqualTo(1000 + stats.faulted());
  }

  @Test
  void recordsThatAlwaysFailGetErrorLinesWithTheirCodes(@TempDir Path dir) throws Exception {
    List<String> input = new ArrayList<>();
    input.add(Corpus.line("fails-500", "[[emulator:fail=500]]"));
    input.add(Corpus.line("fails-503", "[[emulator:fail=503]]"));
    input.add(Corpus.line("fails-408", "[[emulator:fail=408]]"));
    input.add(Corpus.line("fails-424", "[[emulator:fail=424]]"));
    input.add(Corpus.line("fails-400", "[[emulator:fail=400]]"));
    input.add(Corpus.line("fails-429", "[[emulator:fail=429]]"));
    input.add(Corpus.line("drops", "[[emulator:drop]]"));
    input.add(Corpus.line("fine", "no trouble"));
    List<JsonNode> lines =
        runLocal(
            dir,
            spec(dir, "permanent001")
                .limits(
                    InvokeLimits.builder()
                        .maxAttempts(3)
                        .initialBackoffMillis(10)
                        .maxBackoffMillis(50)
                        .build()),
            Corpus.join(input));

    Map<String, JsonNode> byId =
        lines.stream().collect(Collectors.toMap(l -> l.path("recordId").asText(), l -> l));
    assertThat(byId).hasSize(8);
    assertThat(byId.get("fine").has("modelOutput")).isTrue();
    Map<String, Integer> expectedCode =
        Map.of(
            "fails-500",
            500,
            "fails-503",
            503,
            "fails-408",
            408,
            "fails-424",
            424,
            "fails-400",
            400,
            "fails-429",
            429,
            "drops",
            500);
    expectedCode.forEach(
        (id, code) -> {
          JsonNode error = byId.get(id).path("error");
          assertThat(error.path("errorCode").asInt()).as(id).isEqualTo(code);
          assertThat(error.path("errorMessage").asText()).as(id).isNotBlank();
        });
    // Retryable failures used the whole budget; client errors were not retried.
    Map<String, Integer> expectedCalls =
        Map.of(
            "fails-500",
            3,
            "fails-503",
            3,
            "fails-408",
            3,
            "fails-429",
            3,
            "drops",
            3,
            "fails-424",
            1,
            "fails-400",
            1);
    expectedCalls.forEach(
        (id, calls) -> {
          String body = byId.get(id).path("modelInput").toString();
          assertThat(emulator.timesSeen(body)).as("calls for " + id).isEqualTo(calls.longValue());
        });
  }
}
