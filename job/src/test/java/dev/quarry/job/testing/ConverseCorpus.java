package dev.quarry.job.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Converse request bodies for tests, and a plain HTTP call to get the emulator's own answer to one.
 */
public final class ConverseCorpus {
  /**
   * A Converse body using every request member and content block type batch Converse accepts, plus
   * a member no Bedrock version has (yet). Compact and written as Jackson writes it, so a record
   * carrying it keeps its bytes.
   */
  public static final String EVERY_MEMBER =
      "{"
          + "\"system\":[{\"text\":\""
          + "You answer in one sentence. ".repeat(15)
          + "\"},"
          + "{\"cachePoint\":{\"type\":\"default\"}}],"
          + "\"messages\":["
          + "{\"role\":\"user\",\"content\":[{\"text\":\"Describe the picture and the notes.\"},"
          + "{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"iVBORw0KGgoAAAANSUhEUg==\"}}},"
          + "{\"document\":{\"format\":\"txt\",\"name\":\"notes\",\"source\":{\"bytes\":\"aGVsbG8gZG9jdW1lbnQ=\"}}},"
          + "{\"cachePoint\":{\"type\":\"default\"}}]},"
          + "{\"role\":\"assistant\",\"content\":[{\"reasoningContent\":{\"reasoningText\":{\"text\":\"An earlier "
          + "thought\",\"signature\":\"c2lnbmF0dXJl\"}}},{\"text\":\"An earlier answer.\"}]},"
          + "{\"role\":\"user\",\"content\":[{\"text\":\"And what follows from that?\"}]}],"
          + "\"inferenceConfig\":{\"maxTokens\":512,\"temperature\":1,\"topP\":0.9,\"stopSequences\":[\"END\"]},"
          + "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"top_k\":50},"
          + "\"additionalModelResponseFieldPaths\":[\"/stop_sequence\"],"
          + "\"guardrailConfig\":{\"guardrailIdentifier\":\"gr-quarry\",\"guardrailVersion\":\"1\",\"trace\":\"enabled\"},"
          + "\"performanceConfig\":{\"latency\":\"optimized\"},"
          + "\"promptVariables\":{\"topic\":{\"text\":\"rocks\"}},"
          + "\"requestMetadata\":{\"team\":\"search\",\"run\":\"nightly\"},"
          + "\"outputConfig\":{\"textFormat\":{\"type\":\"json_schema\",\"structure\":{\"jsonSchema\":{\"name\":\"answer\","
          + "\"schema\":\"{\\\"type\\\":\\\"object\\\"}\"}}}},"
          + "\"someFutureMember\":{\"x\":1}"
          + "}";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ConverseCorpus() {}

  /** A body with one user turn of {@code text}. */
  public static String userTurn(String text) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":"
        + Corpus.quote(text)
        + "}]}]}";
  }

  /**
   * The emulator's answer to {@code body}, fetched with a plain unsigned HTTP call (the emulator
   * must not be checking signatures at the time).
   */
  public static String emulatorAnswer(URI endpoint, String rawModelPath, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve(rawModelPath))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "emulator answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
