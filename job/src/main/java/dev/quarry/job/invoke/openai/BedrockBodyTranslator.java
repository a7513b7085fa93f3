package dev.quarry.job.invoke.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.job.invoke.ModelResponse;

/**
 * Translates one Bedrock body family to an OpenAI-compatible server and back: a record's {@code
 * modelInput} to a chat-completions (or embeddings) request, and the server's answer to the body
 * Bedrock would have answered, with its token usage.
 */
interface BedrockBodyTranslator {

  /**
   * The upstream request for {@code modelInput}.
   *
   * @throws dev.quarry.job.invoke.InvalidModelInputException when the input is not a valid body of
   *     the family
   * @throws UntranslatableInputException when it holds what the upstream API cannot carry
   */
  UpstreamRequest request(JsonNode modelInput, String upstreamModel);

  /**
   * The family's response body for the server's answer to the request made from {@code modelInput}.
   *
   * @param latencyMillis how long the call took, for bodies that report it (Converse)
   * @throws dev.quarry.job.invoke.MalformedModelResponseException when the answer lacks what the
   *     body needs
   */
  ModelResponse response(JsonNode modelInput, JsonNode upstream, long latencyMillis);
}
