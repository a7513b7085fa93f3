package dev.quarry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.invoke.http.BedrockRuntimeHttp;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvocationType;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.testing.ConverseCorpus;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converse jobs end to end: signed calls, members intact both ways, throttling retried, errors per
 * record.
 */
class ConverseJobTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCESS_KEY = "AKIACONVERSEJOB";
  private static final String SECRET = "converse-job-secret";
  private static final String BAD_MAX_TOKENS =
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}],\"inferenceConfig\":{\"maxTokens\":0}}";

  static BedrockEmulator emulator;

  @BeforeAll
  static void start() {
    SharedS3.get(); // Flink's file systems are set up once per JVM, with S3 among them
    emulator = BedrockEmulator.builder().port(0).build().start();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void everyMemberSurvivesThrottlingIsRetriedAndEachFailureIsItsRecordsLine(@TempDir Path dir)
      throws Exception {
    // Signatures checked, and a 2-request burst at 10 requests/s: the job's first calls are
    // throttled.
    emulator.configure(
        EmulatorConfig.builder()
            .credential(ACCESS_KEY, SECRET)
            .defaultBehavior(
                ModelBehavior.builder()
                    .limits(RateLimits.builder().requestsPerMinute(600).requestBurst(2).build())
                    .build())
            .build());
    emulator.reset();
    List<String> input = new ArrayList<>();
    input.add("{\"recordId\":\"every-member\",\"modelInput\":" + ConverseCorpus.EVERY_MEMBER + "}");
    for (int i = 0; i < 12; i++) {
      input.add(
          "{\"recordId\":\"plain-"
              + i
              + "\",\"modelInput\":"
              + ConverseCorpus.userTurn("turn " + i)
              + "}");
    }
    input.add("{\"recordId\":\"bad-max-tokens\",\"modelInput\":" + BAD_MAX_TOKENS + "}");
    input.add(
        "{\"recordId\":\"tools\",\"modelInput\":{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}],"
            + "\"toolConfig\":{\"tools\":[]}}}");
    Files.createDirectories(dir.resolve("in"));
    Files.write(dir.resolve("in/input.jsonl"), Corpus.join(input));
    JobSpec spec =
        JobRun.spec(
                emulator,
                "converse0002",
                dir.resolve("in").toUri().toString(),
                dir.resolve("out").toUri().toString())
            .invocationType(InvocationType.CONVERSE)
            .bedrock(
                BedrockEndpoint.staticKeys(
                    emulator.endpoint().toString(), "us-east-1", ACCESS_KEY, SECRET))
            .limits(
                InvokeLimits.builder()
                    .maxAttempts(30)
                    .initialBackoffMillis(50)
                    .maxBackoffMillis(1000)
                    .build())
            .build();

    JobRun.run(spec);

    Path out = dir.resolve("out/converse0002");
    String text = Files.readString(out.resolve("input.jsonl.out"));
    Map<String, JsonNode> lines =
        OutputFile.parse(text).stream()
            .collect(Collectors.toMap(l -> l.path("recordId").asText(), l -> l));
    assertThat(lines).hasSize(15);
    ModelStats stats = emulator.stats().model(JobRun.CLAUDE);
    assertThat(stats.throttled()).as("the emulator did throttle").isPositive();
    assertThat(stats.succeeded()).isEqualTo(13);
    for (int i = 0; i < 12; i++) {
      assertThat(lines.get("plain-" + i).at("/modelOutput/output/message/content/0/text").asText())
          .startsWith("Emulated reply to: turn " + i + " [");
    }

    // Counted by the SHA-256 of the body as received, throttled attempts included: any other bytes
    // would count 0.
    assertThat(emulator.timesSeen(ConverseCorpus.EVERY_MEMBER))
        .as("arrived byte for byte")
        .isPositive();
    emulator.configure(EmulatorConfig.defaults()); // the reference call is unsigned
    String answer =
        ConverseCorpus.emulatorAnswer(
            emulator.endpoint(),
            BedrockRuntimeHttp.modelPath(JobRun.CLAUDE, "converse"),
            ConverseCorpus.EVERY_MEMBER);
    assertThat(text)
        .contains(
            "{\"recordId\":\"every-member\",\"modelInput\":"
                + ConverseCorpus.EVERY_MEMBER
                + ",\"modelOutput\":"
                + answer
                + "}");
    JsonNode output = lines.get("every-member").get("modelOutput");
    assertThat(output).isEqualTo(JSON.readTree(answer));
    assertThat(output.at("/output/message/content/0").has("reasoningContent")).isTrue();
    assertThat(output.at("/usage/cacheReadInputTokens").asInt()).isPositive();
    assertThat(output.at("/usage/cacheWriteInputTokens").asInt()).isPositive();
    assertThat(output.has("trace")).isTrue();
    assertThat(output.has("additionalModelResponseFields")).isTrue();

    assertThat(lines.get("bad-max-tokens").get("error"))
        .isEqualTo(
            JSON.readTree(
                "{\"errorCode\":400,"
                    + "\"errorMessage\":\"1 validation error detected: Value '0' at 'inferenceConfig.maxTokens' failed to satisfy "
                    + "constraint: Member must have value greater than or equal to 1\"}"));
    assertThat(emulator.timesSeen(BAD_MAX_TOKENS)).as("a 400 is not retried").isOne();
    assertThat(lines.get("tools").get("error"))
        .isEqualTo(
            JSON.readTree(
                "{\"errorCode\":400,\"errorMessage\":\"toolConfig is not supported in batch Converse\"}"));

    Manifest manifest = Manifest.fromJson(Files.readString(out.resolve("manifest.json.out")));
    long inputTokens = 0;
    long outputTokens = 0;
    for (JsonNode line : lines.values()) {
      inputTokens += line.at("/modelOutput/usage/inputTokens").asLong();
      outputTokens += line.at("/modelOutput/usage/outputTokens").asLong();
    }
    assertThat(manifest).isEqualTo(new Manifest(15, 15, 13, 2, inputTokens, outputTokens));
    assertThat(inputTokens).isEqualTo(stats.inputTokens());
  }
}
