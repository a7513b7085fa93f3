package dev.quarry.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.ModelBehavior;
import dev.quarry.emulator.config.RateLimits;
import dev.quarry.emulator.stats.ModelStats;
import dev.quarry.job.io.Manifest;
import dev.quarry.job.testing.OutputFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationType;
import software.amazon.awssdk.services.bedrock.model.S3InputFormat;
import software.amazon.awssdk.services.bedrock.model.ValidationException;

/**
 * Bedrock-format jobs whose models the catalog routes to an OpenAI-compatible server (a second
 * emulator, answering only on its {@code /v1} routes), created and read with the real AWS SDK: the
 * output lines look as Bedrock's would, throttling is retried, and the server's 400 is the record's
 * error line with its message.
 */
class OpenAiRouteEndToEndTest {
  private static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
  private static final String NOVA = "amazon.nova-lite-v1:0";
  private static final String LLAMA = "meta.llama3-1-8b-instruct-v1:0";
  private static final String MISTRAL = "mistral.mistral-7b-instruct-v0:2";
  private static final String TITAN_TEXT = "amazon.titan-text-express-v1";
  private static final String TITAN_EMBED = "amazon.titan-embed-text-v2:0";
  private static final String OLLAMA_MODEL = "ollama.llama3.1:8b";
  private static final int MAX_ATTEMPTS = 6;

  @TempDir static Path dataDir;
  @TempDir static Path secrets;
  static BedrockEmulator server;
  static ControlPlaneFixture quarry;
  static BedrockClient bedrock;

  @BeforeAll
  static void start() throws Exception {
    server = BedrockEmulator.builder().port(0).build().start();
    Path key = Files.writeString(secrets.resolve("server-key"), "sk-test-key\n");
    Map<String, String> settings = new HashMap<>();
    settings.put(
        "quarry.route.server.models",
        String.join(", ", CLAUDE, NOVA, LLAMA, MISTRAL, TITAN_TEXT, TITAN_EMBED, "ollama.*"));
    settings.put("quarry.route.server.provider", "openai-compatible");
    settings.put("quarry.route.server.base-url", server.endpoint() + "/v1");
    settings.put("quarry.route.server.api-key", "file:" + key);
    settings.put("quarry.route.server.upstream-model", "*");
    settings.put("quarry.route.server.max-concurrency", "8");
    settings.put("quarry.job.max-attempts", Integer.toString(MAX_ATTEMPTS));
    settings.put("quarry.job.initial-backoff-ms", "50");
    settings.put("quarry.job.max-backoff-ms", "400");
    settings.put("quarry.jobs.max-running", "4");
    quarry = new ControlPlaneFixture(dataDir, settings);
    bedrock = quarry.bedrock();
    quarry.s3.createBucket("oai-in");
    quarry.s3.createBucket("oai-out");
  }

  @AfterAll
  static void stop() {
    quarry.close();
    server.close();
  }

  private static String run(String name, String model, ModelInvocationType type, String... lines)
      throws Exception {
    String body = String.join("\n", lines) + "\n";
    quarry.s3.put("oai-in", name + "/records.jsonl", body.getBytes(StandardCharsets.UTF_8));
    return bedrock
        .createModelInvocationJob(
            CreateModelInvocationJobRequest.builder()
                .jobName(name)
                .roleArn(ControlPlaneFixture.ROLE)
                .modelId(model)
                .modelInvocationType(type)
                .inputDataConfig(
                    ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                        s ->
                            s.s3Uri("s3://oai-in/" + name + "/")
                                .s3InputFormat(S3InputFormat.JSONL)))
                .outputDataConfig(
                    ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                        s -> s.s3Uri("s3://oai-out/" + name + "/")))
                .build())
        .jobArn();
  }

  /** The finished job's output lines by record id, and its manifest. */
  private static Map<String, JsonNode> outputOf(String arn, GetModelInvocationJobResponse[] done)
      throws Exception {
    done[0] =
        quarry.await(
            arn,
            ControlPlaneFixture.statusIn(
                ModelInvocationJobStatus.COMPLETED,
                ModelInvocationJobStatus.PARTIALLY_COMPLETED,
                ModelInvocationJobStatus.FAILED),
            Duration.ofSeconds(120));
    String name = done[0].jobName();
    String jobId = arn.substring(arn.lastIndexOf('/') + 1);
    List<JsonNode> lines =
        OutputFile.parse(quarry.s3.getString("oai-out", name + "/" + jobId + "/records.jsonl.out"));
    return lines.stream().collect(Collectors.toMap(l -> l.get("recordId").asText(), l -> l));
  }

  private static Manifest manifestOf(String arn, String name) {
    String jobId = arn.substring(arn.lastIndexOf('/') + 1);
    return Manifest.fromJson(
        quarry.s3.getString("oai-out", name + "/" + jobId + "/manifest.json.out"));
  }

  private static String line(String id, String modelInput) {
    return "{\"recordId\":\"" + id + "\",\"modelInput\":" + modelInput + "}";
  }

  @Test
  void everyFamilyAnswersInItsBedrockShape() throws Exception {
    String claude =
        run(
            "claude",
            CLAUDE,
            ModelInvocationType.INVOKE_MODEL,
            line(
                "c1",
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1000,\"messages\":[{\"role\":"
                    + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Name a rock\"}]}]}"),
            line(
                "c2",
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,\"messages\":[{\"role\":"
                    + "\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":"
                    + "\"text/plain\",\"data\":\"x\"}}]}]}"));
    String nova =
        run(
            "nova",
            NOVA,
            ModelInvocationType.INVOKE_MODEL,
            line(
                "n1",
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Name a mineral\"}]}],"
                    + "\"inferenceConfig\":{\"maxTokens\":2}}"));
    String llama =
        run(
            "llama",
            LLAMA,
            ModelInvocationType.INVOKE_MODEL,
            line(
                "l1",
                "{\"prompt\":\"<|begin_of_text|><|start_header_id|>user<|end_header_id|>\\n\\nName a gem"
                    + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\\n\\n\",\"max_gen_len\":64}"));
    String mistral =
        run(
            "mistral",
            MISTRAL,
            ModelInvocationType.INVOKE_MODEL,
            line("m1", "{\"prompt\":\"<s>[INST] Name a cliff [/INST]\",\"max_tokens\":64}"));
    String titan =
        run(
            "titan",
            TITAN_TEXT,
            ModelInvocationType.INVOKE_MODEL,
            line(
                "t1",
                "{\"inputText\":\"Name a cave\",\"textGenerationConfig\":{\"maxTokenCount\":64}}"));
    String embed =
        run(
            "embed",
            TITAN_EMBED,
            ModelInvocationType.INVOKE_MODEL,
            line("e1", "{\"inputText\":\"granite\",\"dimensions\":256}"));
    String converse =
        run(
            "converse",
            OLLAMA_MODEL,
            ModelInvocationType.CONVERSE,
            line(
                "v1",
                "{\"system\":[{\"text\":\"Short.\"}],\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":"
                    + "\"Name a quarry\"}]}],\"inferenceConfig\":{\"maxTokens\":50}}"));

    GetModelInvocationJobResponse[] done = new GetModelInvocationJobResponse[1];
    Map<String, JsonNode> out = outputOf(claude, done);
    assertThat(done[0].status()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
    assertThat(done[0].errorRecordCount()).isEqualTo(1);
    JsonNode c1 = out.get("c1").get("modelOutput");
    assertThat(c1.get("type").asText()).isEqualTo("message");
    assertThat(c1.at("/content/0/text").asText()).startsWith("Emulated reply to: Name a rock");
    assertThat(c1.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(c1.at("/usage/input_tokens").asLong()).isEqualTo(3); // "Name a rock": 11 characters
    assertThat(out.get("c2").at("/error/errorCode").asInt()).isEqualTo(400);
    assertThat(out.get("c2").at("/error/errorMessage").asText())
        .contains("type document cannot be sent to an" + " OpenAI-compatible model server");
    Manifest manifest = manifestOf(claude, "claude");
    assertThat(manifest.successRecordCount()).isEqualTo(1);
    assertThat(manifest.errorRecordCount()).isEqualTo(1);
    assertThat(manifest.inputTokenCount()).isEqualTo(3);
    assertThat(manifest.outputTokenCount())
        .isEqualTo(c1.at("/usage/output_tokens").asLong())
        .isPositive();
    assertThat(server.stats().model(CLAUDE).requests())
        .as("the document record never reached the server")
        .isEqualTo(1);

    JsonNode n1 = outputOf(nova, done).get("n1").get("modelOutput");
    assertThat(n1.at("/output/message/content/0/text").asText())
        .startsWith("Emulated reply to: Name a mineral");
    assertThat(n1.get("stopReason").asText()).isEqualTo("max_tokens");
    assertThat(n1.at("/usage/outputTokens").asInt()).isEqualTo(2);

    JsonNode l1 = outputOf(llama, done).get("l1").get("modelOutput");
    assertThat(l1.get("generation").asText()).startsWith("Emulated reply to: Name a gem");
    assertThat(l1.get("prompt_token_count").asInt())
        .isEqualTo(3); // the template's tokens are the server's
    assertThat(l1.get("stop_reason").asText()).isIn("stop", "length");

    JsonNode m1 = outputOf(mistral, done).get("m1").get("modelOutput");
    assertThat(m1.at("/outputs/0/text").asText()).startsWith("Emulated reply to: Name a cliff");

    JsonNode t1 = outputOf(titan, done).get("t1").get("modelOutput");
    assertThat(t1.at("/results/0/outputText").asText())
        .startsWith("Emulated reply to: Name a cave");
    assertThat(t1.at("/results/0/completionReason").asText()).isIn("FINISH", "LENGTH");

    JsonNode e1 = outputOf(embed, done).get("e1").get("modelOutput");
    assertThat(e1.get("embedding")).hasSize(256);
    assertThat(e1.get("inputTextTokenCount").asInt()).isEqualTo(2);

    JsonNode v1 = outputOf(converse, done).get("v1").get("modelOutput");
    assertThat(v1.at("/output/message/content/0/text").asText())
        .startsWith("Emulated reply to: Name a quarry");
    assertThat(v1.at("/usage/totalTokens").asInt())
        .isEqualTo(v1.at("/usage/inputTokens").asInt() + v1.at("/usage/outputTokens").asInt());
    assertThat(v1.at("/metrics/latencyMs").isIntegralNumber()).isTrue();
    assertThat(server.stats().model("llama3.1:8b").succeeded())
        .as("the name the server knows")
        .isEqualTo(1);
  }

  @Test
  void throttlingIsRetriedAndTheServersRefusalIsTheRecordsErrorLine() throws Exception {
    String model = "ollama.llama3.1:70b"; // the ollama.* route; Converse bodies need no family
    server.configure(
        EmulatorConfig.builder()
            .model(
                "llama3.1:70b",
                ModelBehavior.builder()
                    .limits(RateLimits.builder().requestsPerMinute(1200).requestBurst(2).build())
                    .build())
            .build());
    String[] lines = new String[12];
    for (int i = 0; i < 10; i++) {
      lines[i] =
          line(
              "ok" + i,
              "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Question "
                  + i
                  + "\"}]}]}");
    }
    lines[10] =
        line(
            "refused",
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"[[emulator:fail=400]]"
                + "\"}]}]}");
    lines[11] =
        line(
            "throttled",
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"[[emulator:fail=429]]"
                + "\"}]}]}");
    String arn = run("retries", model, ModelInvocationType.CONVERSE, lines);

    GetModelInvocationJobResponse[] done = new GetModelInvocationJobResponse[1];
    Map<String, JsonNode> out = outputOf(arn, done);
    assertThat(out).hasSize(12);
    for (int i = 0; i < 10; i++) {
      assertThat(out.get("ok" + i).has("modelOutput"))
          .as("ok" + i + " " + out.get("ok" + i))
          .isTrue();
    }
    assertThat(out.get("refused").at("/error/errorCode").asInt()).isEqualTo(400);
    assertThat(out.get("refused").at("/error/errorMessage").asText())
        .isEqualTo(
            "Malformed input request: the request was rejected by an emulator directive, please reformat "
                + "your input and try again.");
    assertThat(out.get("throttled").at("/error/errorCode").asInt()).isEqualTo(429);
    assertThat(out.get("throttled").at("/error/errorMessage").asText())
        .startsWith("Rate limit reached");

    ModelStats stats = server.stats().model("llama3.1:70b");
    assertThat(stats.succeeded()).isEqualTo(10);
    // The directed 429 was tried MAX_ATTEMPTS times, the 400 once; any of the ten the server's
    // quota
    // throttled (the job's own rate control usually keeps under it) was retried until it passed.
    assertThat(stats.validationErrors()).isEqualTo(1);
    assertThat(stats.throttled()).isGreaterThanOrEqualTo(MAX_ATTEMPTS);
    assertThat(stats.requests()).isEqualTo(10 + 1 + stats.throttled());
    assertThat(done[0].successRecordCount()).isEqualTo(10);
    assertThat(done[0].errorRecordCount()).isEqualTo(2);
  }

  @Test
  void anInvokeModelJobWhoseFamilyTheRouteCannotTellIsRefusedAtCreate() {
    assertThatThrownBy(
            () ->
                run(
                    "unknown-family",
                    OLLAMA_MODEL,
                    ModelInvocationType.INVOKE_MODEL,
                    line("x", "{\"prompt\":\"hi\"}")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("quarry.route.server.invoke-family");
  }
}
