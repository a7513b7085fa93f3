package dev.quarry.controlplane.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchError;
import com.openai.models.batches.BatchListParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.ApiKeys;
import dev.quarry.controlplane.testing.ControlPlaneFixture;
import dev.quarry.emulator.BedrockEmulator;
import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.config.LatencyProfile;
import dev.quarry.emulator.config.ModelBehavior;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobStatus;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobSummary;

/**
 * The OpenAI Batch API driven end to end by the official OpenAI Java SDK against a control plane
 * with embedded Flink, S3Proxy and two emulators: one as Bedrock Runtime, one as an
 * OpenAI-compatible server (answering on its {@code /v1} routes) that the model catalog routes
 * {@code ollama.*} to. Each batch is a Quarry job, visible to the Bedrock SDK.
 */
class OpenAiBatchEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
  private static final String SLOW_CLAUDE = "anthropic.claude-3-sonnet-20240229-v1:0";
  private static final String TITAN_EMBED = "amazon.titan-embed-text-v2:0";
  private static final String OLLAMA_CHAT = "ollama.llama3.1:8b";
  private static final String OLLAMA_EMBED = "ollama.nomic-embed-text";
  private static final String OTHER_ACCOUNT = "210987654321";

  @TempDir static Path dataDir;
  static BedrockEmulator server;
  static ControlPlaneFixture quarry;
  static OpenAIClient openai;

  @BeforeAll
  static void start() throws Exception {
    server = BedrockEmulator.builder().port(0).build().start();
    Map<String, String> settings = new HashMap<>();
    settings.put("quarry.route.server.models", "ollama.*");
    settings.put("quarry.route.server.provider", "openai-compatible");
    settings.put("quarry.route.server.base-url", server.endpoint() + "/v1");
    settings.put("quarry.route.server.upstream-model", "*");
    settings.put("quarry.openai.files-uri", "s3://openai-files/quarry/");
    settings.put("quarry.jobs.max-running", "4");
    settings.put("quarry.job.max-attempts", "2");
    settings.put("quarry.job.initial-backoff-ms", "50");
    // two calls a second on the slow model: a batch of it runs long enough to be cancelled
    settings.put("quarry.model." + SLOW_CLAUDE + ".requests-per-minute", "120");
    quarry = new ControlPlaneFixture(dataDir, settings);
    quarry.s3.createBucket("openai-files");
    quarry.emulator.configure(
        EmulatorConfig.builder()
            .model(
                SLOW_CLAUDE,
                ModelBehavior.builder()
                    .latency(LatencyProfile.fixed(Duration.ofMillis(200)))
                    .build())
            .build());
    openai = client(quarry.key());
  }

  @AfterAll
  static void stop() {
    openai.close();
    quarry.close();
    server.close();
  }

  static OpenAIClient client(AccessKey key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(quarry.plane().endpoint() + "/v1")
        .apiKey(ApiKeys.of(key))
        .maxRetries(0) // every refusal is observed as sent
        .build();
  }

  static String chat(String customId, String model, String text) {
    return "{\"custom_id\":\""
        + customId
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\","
        + "\"content\":\""
        + text
        + "\"}],\"max_tokens\":60}}";
  }

  static String embed(String customId, String model, String text) {
    return "{\"custom_id\":\""
        + customId
        + "\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":\""
        + model
        + "\",\"input\":\""
        + text
        + "\",\"dimensions\":256}}";
  }

  static FileObject upload(OpenAIClient client, String name, List<String> lines) {
    return client
        .files()
        .create(
            FileCreateParams.builder()
                .file(
                    com.openai.core.MultipartField.<InputStream>builder()
                        .value(
                            new java.io.ByteArrayInputStream(
                                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)))
                        .filename(name)
                        .build())
                .purpose(FilePurpose.BATCH)
                .build());
  }

  static Batch create(OpenAIClient client, String fileId, BatchCreateParams.Endpoint endpoint) {
    return client
        .batches()
        .create(
            BatchCreateParams.builder()
                .inputFileId(fileId)
                .endpoint(endpoint)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .metadata(
                    BatchCreateParams.Metadata.builder()
                        .putAdditionalProperty("team", JsonValue.from("geology"))
                        .build())
                .build());
  }

  static Batch await(OpenAIClient client, String batchId, Predicate<Batch> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Batch last = null;
    while (System.nanoTime() < deadline) {
      last = client.batches().retrieve(batchId);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Batch " + batchId + " did not get there; last seen: " + last);
  }

  static Batch awaitEnd(OpenAIClient client, String batchId) throws InterruptedException {
    Set<Batch.Status> ends =
        Set.of(
            Batch.Status.COMPLETED,
            Batch.Status.FAILED,
            Batch.Status.EXPIRED,
            Batch.Status.CANCELLED);
    return await(client, batchId, b -> ends.contains(b.status()));
  }

  /** A file's lines, by {@code custom_id}. */
  static Map<String, JsonNode> lines(OpenAIClient client, String fileId) throws Exception {
    String text;
    try (var response = client.files().content(fileId)) {
      text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, JsonNode> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        JsonNode node = JSON.readTree(line);
        assertThat(out.put(node.get("custom_id").asText(), node))
            .as("one line per request")
            .isNull();
      }
    }
    return out;
  }

  @Test
  void aChatBatchOnABedrockModelRunsAsAJobToCompletedWithItsOutputAndErrorFiles() throws Exception {
    FileObject input =
        upload(
            openai,
            "rocks.jsonl",
            List.of(
                chat("r1", CLAUDE, "Name a rock"),
                chat("r2", CLAUDE, "Name a gem"),
                chat("r3", CLAUDE, "[[emulator:fail=400]]")));
    assertThat(input.id()).startsWith("file-");
    assertThat(input.filename()).isEqualTo("rocks.jsonl");
    assertThat(input.purpose()).isEqualTo(FileObject.Purpose.BATCH);
    assertThat(input.bytes()).isPositive();

    Batch created = create(openai, input.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS);
    assertThat(created.id()).startsWith("batch_");
    assertThat(created.status()).isEqualTo(Batch.Status.VALIDATING);
    assertThat(created.expiresAt()).contains(created.createdAt() + 24 * 3600);

    Batch done = awaitEnd(openai, created.id());
    assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
    assertThat(done.model()).contains(CLAUDE);
    assertThat(done.requestCounts().orElseThrow().total()).isEqualTo(3);
    assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(2);
    assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(1);
    assertThat(done.usage().orElseThrow().inputTokens()).isPositive();
    assertThat(done.usage().orElseThrow().outputTokens()).isPositive();
    assertThat(done.inProgressAt().orElseThrow()).isGreaterThanOrEqualTo(done.createdAt());
    assertThat(done.finalizingAt().orElseThrow())
        .isGreaterThanOrEqualTo(done.inProgressAt().orElseThrow());
    assertThat(done.completedAt().orElseThrow())
        .isGreaterThanOrEqualTo(done.finalizingAt().orElseThrow());
    assertThat(done.failedAt()).isEmpty();
    assertThat(done.metadata().orElseThrow()._additionalProperties())
        .containsEntry("team", JsonValue.from("geology"));

    Map<String, JsonNode> answers = lines(openai, done.outputFileId().orElseThrow());
    assertThat(answers).containsOnlyKeys("r1", "r2");
    JsonNode r1 = answers.get("r1");
    assertThat(r1.get("id").asText()).startsWith("batch_req_");
    assertThat(r1.get("error").isNull()).isTrue();
    assertThat(r1.at("/response/status_code").asInt()).isEqualTo(200);
    assertThat(r1.at("/response/request_id").asText()).isNotEmpty();
    JsonNode completion = r1.at("/response/body");
    assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
    assertThat(completion.get("model").asText()).isEqualTo(CLAUDE);
    assertThat(completion.at("/choices/0/message/content").asText())
        .startsWith("Emulated reply to: Name a rock");
    assertThat(completion.at("/usage/total_tokens").asLong())
        .isEqualTo(
            completion.at("/usage/prompt_tokens").asLong()
                + completion.at("/usage/completion_tokens").asLong());

    Map<String, JsonNode> failures = lines(openai, done.errorFileId().orElseThrow());
    assertThat(failures).containsOnlyKeys("r3");
    assertThat(failures.get("r3").at("/response/status_code").asInt()).isEqualTo(400);
    assertThat(failures.get("r3").at("/response/body/error/type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(failures.get("r3").at("/response/body/error/message").asText())
        .startsWith("Malformed input request");

    FileObject output = openai.files().retrieve(done.outputFileId().orElseThrow());
    assertThat(output.purpose()).isEqualTo(FileObject.Purpose.BATCH_OUTPUT);
    assertThat(output.filename()).isEqualTo(created.id() + "_output.jsonl");

    // the batch is a job: Bedrock's List shows it, tagged with the batch
    String jobName = "openai-batch-" + created.id().substring("batch_".length());
    List<ModelInvocationJobSummary> jobs =
        quarry
            .bedrock()
            .listModelInvocationJobs(b -> b.nameContains(jobName))
            .invocationJobSummaries();
    assertThat(jobs)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.status()).isEqualTo(ModelInvocationJobStatus.COMPLETED);
              assertThat(j.modelId()).isEqualTo(CLAUDE);
              assertThat(j.successRecordCount()).isEqualTo(2);
            });
    assertThat(
            quarry.bedrock().listTagsForResource(b -> b.resourceARN(jobs.get(0).jobArn())).tags())
        .anySatisfy(
            t -> {
              assertThat(t.key()).isEqualTo("quarry:openai-batch");
              assertThat(t.value()).isEqualTo(created.id());
            });

    // a batch that ended cannot be cancelled
    assertThatThrownBy(() -> openai.batches().cancel(created.id()))
        .isInstanceOfSatisfying(
            OpenAIServiceException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.type()).contains("invalid_request_error");
            });
  }

  @Test
  void batchesToAnOpenAiCompatibleRouteGoThereAsTheyAre() throws Exception {
    FileObject chatInput =
        upload(
            openai,
            "chat.jsonl",
            List.of(
                chat("c1", OLLAMA_CHAT, "Name a quarry"), chat("c2", OLLAMA_CHAT, "And one more")));
    FileObject embedInput =
        upload(
            openai,
            "embed.jsonl",
            List.of(embed("e1", OLLAMA_EMBED, "granite"), embed("e2", OLLAMA_EMBED, "basalt")));
    FileObject titanInput =
        upload(openai, "titan.jsonl", List.of(embed("t1", TITAN_EMBED, "marble")));
    Batch chatBatch =
        create(openai, chatInput.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS);
    Batch embedBatch = create(openai, embedInput.id(), BatchCreateParams.Endpoint.V1_EMBEDDINGS);
    Batch titanBatch = create(openai, titanInput.id(), BatchCreateParams.Endpoint.V1_EMBEDDINGS);

    Batch chatDone = awaitEnd(openai, chatBatch.id());
    assertThat(chatDone.status()).isEqualTo(Batch.Status.COMPLETED);
    Map<String, JsonNode> chats = lines(openai, chatDone.outputFileId().orElseThrow());
    JsonNode c1 = chats.get("c1").at("/response/body");
    assertThat(c1.get("id").asText()).as("the server's own completion").startsWith("chatcmpl-");
    assertThat(c1.get("model").asText()).as("the name the server knows").isEqualTo("llama3.1:8b");
    assertThat(c1.at("/choices/0/message/content").asText())
        .startsWith("Emulated reply to: Name a quarry");
    assertThat(chats.get("c1").at("/response/request_id").asText())
        .as("the server's x-request-id")
        .startsWith("req_");
    assertThat(chatDone.errorFileId()).as("no failures, no error file").isEmpty();
    assertThat(server.stats().model("llama3.1:8b").succeeded()).isEqualTo(2);

    Batch embedDone = awaitEnd(openai, embedBatch.id());
    assertThat(embedDone.status()).isEqualTo(Batch.Status.COMPLETED);
    JsonNode e1 = lines(openai, embedDone.outputFileId().orElseThrow()).get("e1");
    assertThat(e1.at("/response/body/object").asText()).isEqualTo("list");
    assertThat(e1.at("/response/body/data/0/embedding")).hasSize(256);
    assertThat(server.stats().model("nomic-embed-text").succeeded()).isEqualTo(2);

    Batch titanDone = awaitEnd(openai, titanBatch.id());
    assertThat(titanDone.status()).isEqualTo(Batch.Status.COMPLETED);
    JsonNode t1 = lines(openai, titanDone.outputFileId().orElseThrow()).get("t1");
    assertThat(t1.at("/response/body/data/0/object").asText()).isEqualTo("embedding");
    assertThat(t1.at("/response/body/data/0/embedding")).hasSize(256);
    assertThat(t1.at("/response/body/usage/prompt_tokens").asInt()).isPositive();
    assertThat(titanDone.usage().orElseThrow().inputTokens()).isPositive();
  }

  @Test
  void anInputThatFailsValidationFailsTheBatchWithOpenAisErrorsAndRunsNothing() throws Exception {
    FileObject input =
        upload(
            openai,
            "bad.jsonl",
            List.of(
                chat("a", CLAUDE, "one"),
                "{not json",
                chat("a", CLAUDE, "two"),
                chat("b", CLAUDE, "three").replace("/v1/chat/completions", "/v1/embeddings"),
                chat("c", "amazon.nova-lite-v1:0", "four"),
                "{\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
                    + CLAUDE
                    + "\"}}"));
    Batch failed =
        awaitEnd(
            openai,
            create(openai, input.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).id());
    assertThat(failed.status()).isEqualTo(Batch.Status.FAILED);
    assertThat(failed.failedAt()).isPresent();
    assertThat(failed.outputFileId()).isEmpty();
    List<BatchError> errors = failed.errors().orElseThrow().data().orElseThrow();
    assertThat(errors)
        .extracting(e -> e.code().orElse(null), e -> e.line().orElse(null))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("invalid_json_line", 2L),
            org.assertj.core.groups.Tuple.tuple("duplicate_custom_id", 3L),
            org.assertj.core.groups.Tuple.tuple("url_mismatch", 4L),
            org.assertj.core.groups.Tuple.tuple("model_mismatch", 5L),
            org.assertj.core.groups.Tuple.tuple("missing_required_parameter", 6L));
    assertThat(errors.get(1).message().orElseThrow()).contains("line 1");
    assertThat(errors.get(4).param()).contains("custom_id");
    assertThat(
            quarry
                .bedrock()
                .listModelInvocationJobs(
                    b -> b.nameContains("openai-batch-" + failed.id().substring(6)))
                .invocationJobSummaries())
        .as("a batch whose input fails validation starts no job")
        .isEmpty();

    FileObject empty = upload(openai, "empty.jsonl", List.of(""));
    Batch none =
        awaitEnd(
            openai,
            create(openai, empty.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).id());
    assertThat(none.errors().orElseThrow().data().orElseThrow())
        .extracting(e -> e.code().orElse(null))
        .containsExactly("empty_file");

    FileObject unserved =
        upload(openai, "nova-embed.jsonl", List.of(embed("x", "amazon.nova-lite-v1:0", "y")));
    Batch refused =
        awaitEnd(
            openai, create(openai, unserved.id(), BatchCreateParams.Endpoint.V1_EMBEDDINGS).id());
    assertThat(refused.errors().orElseThrow().data().orElseThrow())
        .singleElement()
        .satisfies(e -> assertThat(e.message().orElseThrow()).contains("Titan Text Embeddings"));
  }

  @Test
  void cancellingStopsTheJobAndTheBatchKeepsWhatFinished() throws Exception {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      requests.add(chat("s" + i, SLOW_CLAUDE, "Question " + i));
    }
    FileObject input = upload(openai, "slow.jsonl", requests);
    Batch batch = create(openai, input.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS);
    await(openai, batch.id(), b -> b.requestCounts().map(c -> c.completed() >= 2).orElse(false));
    Batch cancelling = openai.batches().cancel(batch.id());
    assertThat(cancelling.status()).isIn(Batch.Status.CANCELLING, Batch.Status.CANCELLED);
    assertThat(cancelling.cancellingAt()).isPresent();

    Batch cancelled = awaitEnd(openai, batch.id());
    assertThat(cancelled.status()).isEqualTo(Batch.Status.CANCELLED);
    assertThat(cancelled.cancelledAt().orElseThrow())
        .isGreaterThanOrEqualTo(cancelled.cancellingAt().orElseThrow());
    long completed = cancelled.requestCounts().orElseThrow().completed();
    assertThat(completed).isBetween(2L, 29L);
    assertThat(lines(openai, cancelled.outputFileId().orElseThrow()))
        .as("what finished before the stop is the output")
        .hasSize((int) completed);
    assertThat(openai.batches().cancel(batch.id()).status())
        .as("cancelling again answers the batch")
        .isEqualTo(Batch.Status.CANCELLED);
    String jobName = "openai-batch-" + batch.id().substring("batch_".length());
    assertThat(
            quarry
                .bedrock()
                .listModelInvocationJobs(b -> b.nameContains(jobName))
                .invocationJobSummaries())
        .singleElement()
        .satisfies(j -> assertThat(j.status()).isEqualTo(ModelInvocationJobStatus.STOPPED));
  }

  @Test
  void aBatchStillRunningWhenItsWindowEndsExpiresWithItsUnrunRequestsInTheErrorFile()
      throws Exception {
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      requests.add(chat("x" + i, SLOW_CLAUDE, "Question " + i));
    }
    FileObject input = upload(openai, "late.jsonl", requests);
    Batch batch = create(openai, input.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS);
    await(openai, batch.id(), b -> b.requestCounts().map(c -> c.completed() >= 2).orElse(false));
    quarry.clock.advance(Duration.ofHours(25)); // past its 24h completion window

    Batch expired = awaitEnd(openai, batch.id());
    assertThat(expired.status()).isEqualTo(Batch.Status.EXPIRED);
    assertThat(expired.expiredAt().orElseThrow())
        .isGreaterThanOrEqualTo(expired.expiresAt().orElseThrow());
    long completed = expired.requestCounts().orElseThrow().completed();
    assertThat(completed).isBetween(2L, 29L);
    assertThat(expired.requestCounts().orElseThrow().failed()).isEqualTo(30 - completed);
    Map<String, JsonNode> answers = lines(openai, expired.outputFileId().orElseThrow());
    Map<String, JsonNode> unrun = lines(openai, expired.errorFileId().orElseThrow());
    assertThat(answers).hasSize((int) completed);
    assertThat(unrun).hasSize(30 - (int) completed);
    assertThat(answers.keySet()).doesNotContainAnyElementsOf(unrun.keySet());
    assertThat(unrun.values())
        .allSatisfy(
            line -> {
              assertThat(line.get("response").isNull()).isTrue();
              assertThat(line.at("/error/code").asText()).isEqualTo("batch_expired");
              assertThat(line.at("/error/message").asText())
                  .isEqualTo(
                      "This request could not be executed before the completion window expired.");
            });
    String jobName = "openai-batch-" + batch.id().substring("batch_".length());
    assertThat(
            quarry
                .bedrock()
                .listModelInvocationJobs(b -> b.nameContains(jobName))
                .invocationJobSummaries())
        .singleElement()
        .satisfies(
            j -> assertThat(j.status()).isEqualTo(ModelInvocationJobStatus.PARTIALLY_COMPLETED));
  }

  @Test
  void refusalsAnswerInOpenAisErrorShapeWithItsStatuses() throws Exception {
    assertThatThrownBy(() -> openai.files().retrieve("file-0123456789abcdef01234567"))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.type()).contains("invalid_request_error");
              assertThat(e.body().toString()).contains("No such File object");
            });
    assertThatThrownBy(
            () ->
                create(
                    openai,
                    "file-0123456789abcdef01234567",
                    BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.param()).contains("input_file_id"));
    assertThatThrownBy(() -> openai.batches().retrieve("batch_0123456789abcdef"))
        .isInstanceOf(NotFoundException.class);

    assertThatThrownBy(
            () ->
                openai
                    .files()
                    .create(
                        FileCreateParams.builder()
                            .file("x".getBytes(StandardCharsets.UTF_8))
                            .purpose(FilePurpose.FINE_TUNE)
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.param()).contains("purpose");
              assertThat(e.code()).contains("invalid_value");
            });

    FileObject input = upload(openai, "ok.jsonl", List.of(chat("x", CLAUDE, "hi")));
    assertThatThrownBy(() -> create(openai, input.id(), BatchCreateParams.Endpoint.V1_RESPONSES))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.param()).contains("endpoint");
              assertThat(e.body().toString()).contains("/v1/chat/completions");
            });
    Batch ran =
        awaitEnd(
            openai,
            create(openai, input.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).id());
    assertThatThrownBy(
            () ->
                create(
                    openai,
                    ran.outputFileId().orElseThrow(),
                    BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS))
        .as("an output file is no batch input")
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.body().toString()).contains("purpose"));

    OpenAIClient wrong =
        OpenAIOkHttpClient.builder()
            .baseUrl(quarry.plane().endpoint() + "/v1")
            .apiKey("sk-quarry-not-a-key")
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> wrong.batches().list())
          .isInstanceOfSatisfying(
              UnauthorizedException.class, e -> assertThat(e.code()).contains("invalid_api_key"));
    } finally {
      wrong.close();
    }
    HttpResponse<String> bare =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(quarry.plane().endpoint() + "/v1/batches"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(bare.statusCode()).isEqualTo(401);
    JsonNode error = JSON.readTree(bare.body());
    assertThat(error.fieldNames()).toIterable().containsExactly("error");
    assertThat(error.get("error").fieldNames())
        .toIterable()
        .containsExactly("message", "type", "param", "code");
    assertThat(error.at("/error/message").asText()).startsWith("You didn't provide an API key");

    // an upload larger than quarry.openai.max-file-bytes is refused from its headers, unread
    URI endpoint = quarry.plane().endpoint();
    try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + ApiKeys.of(quarry.key())
                      + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                      + "Content-Length: 300000000\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":\"file_too_large\"");
    }
  }

  @Test
  void anotherAccountsFilesAndBatchesAreMissingToItAndAKeyKeepsToItsAllowLists() throws Exception {
    FileObject mine = upload(openai, "mine.jsonl", List.of(chat("m", CLAUDE, "hello")));
    Batch batch = create(openai, mine.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS);
    AccessKey otherKey = ControlPlaneFixture.createKey(dataDir, OTHER_ACCOUNT);
    OpenAIClient other = client(otherKey);
    try {
      awaitKnown(() -> other.batches().list()); // the key file is read again within a second
      assertThatThrownBy(() -> other.files().retrieve(mine.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> other.files().content(mine.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> other.files().delete(mine.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> other.batches().retrieve(batch.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> other.batches().cancel(batch.id()))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(
              () -> create(other, mine.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS))
          .isInstanceOf(NotFoundException.class);
      assertThat(other.batches().list().data()).extracting(Batch::id).doesNotContain(batch.id());
      assertThat(other.files().list().data()).extracting(FileObject::id).doesNotContain(mine.id());
    } finally {
      other.close();
    }
    assertThat(openai.batches().list(BatchListParams.builder().limit(100).build()).data())
        .extracting(Batch::id)
        .contains(batch.id());
    assertThat(awaitEnd(openai, batch.id()).status()).isEqualTo(Batch.Status.COMPLETED);

    AccessKey confined =
        ControlPlaneFixture.createKey(
            dataDir,
            quarry.key().account(),
            List.of("s3://somewhere-else/"),
            List.of("s3://somewhere-else/"));
    OpenAIClient limited = client(confined);
    try {
      FileObject file =
          awaitKnown(() -> upload(limited, "confined.jsonl", List.of(chat("c", CLAUDE, "x"))));
      assertThatThrownBy(
              () -> create(limited, file.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS))
          .isInstanceOfSatisfying(
              PermissionDeniedException.class,
              e -> assertThat(e.body().toString()).contains("allow-input"));
    } finally {
      limited.close();
    }
  }

  @Test
  void listsPageNewestFirstWithOpenAisCursor() throws Exception {
    FileObject input = upload(openai, "page.jsonl", List.of(chat("p", CLAUDE, "hi")));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(create(openai, input.id(), BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).id());
      Thread.sleep(5);
    }
    var first = openai.batches().list(BatchListParams.builder().limit(2).build());
    assertThat(first.data()).extracting(Batch::id).containsExactly(ids.get(2), ids.get(1));
    assertThat(first.hasNextPage()).isTrue();
    var second =
        openai.batches().list(BatchListParams.builder().limit(2).after(ids.get(1)).build());
    assertThat(second.data().get(0).id()).isEqualTo(ids.get(0));
    Set<String> all =
        openai.files().list().autoPager().stream().map(FileObject::id).collect(Collectors.toSet());
    assertThat(all).contains(input.id());
    for (String id : ids) {
      awaitEnd(openai, id);
    }
  }

  /** Retries {@code call} while the key it uses is not yet known (key files are re-read). */
  static <T> T awaitKnown(java.util.concurrent.Callable<T> call) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return call.call();
      } catch (UnauthorizedException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
