package dev.quarry.job.invoke;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.S3Location;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * Calls {@code Converse} with the record's {@code modelInput} read as a Converse request body.
 *
 * <p>Supports what batch Converse accepts: text, image and document content, system prompts,
 * inference configuration and additional model request fields. Like Bedrock's batch Converse, it
 * rejects {@code toolConfig} and members it does not know (a {@code modelId} inside the record, say).
 */
public final class ConverseInvoker implements ModelInvoker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MEMBERS = Set.of(
      "messages", "system", "inferenceConfig", "additionalModelRequestFields",
      "additionalModelResponseFieldPaths", "requestMetadata");

  private final BedrockRuntimeAsyncClient client;
  private final String modelId;

  public ConverseInvoker(BedrockRuntimeAsyncClient client, String modelId) {
    this.client = client;
    this.modelId = modelId;
  }

  @Override
  public CompletableFuture<ModelResponse> invoke(String modelInputJson) {
    ConverseRequest request;
    try {
      request = toRequest(JSON.readTree(modelInputJson));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new InvalidModelInputException("modelInput is not JSON"));
    } catch (InvalidModelInputException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client.converse(request).thenApply(ConverseInvoker::toModelResponse);
  }

  ConverseRequest toRequest(JsonNode input) {
    for (Iterator<String> it = input.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if ("toolConfig".equals(name)) {
        throw new InvalidModelInputException("toolConfig is not supported in batch Converse");
      }
      if (!MEMBERS.contains(name)) {
        throw new InvalidModelInputException("modelInput." + name + ": Extra inputs are not permitted");
      }
    }
    JsonNode messages = input.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidModelInputException("modelInput.messages must be a non-empty array");
    }
    ConverseRequest.Builder b = ConverseRequest.builder().modelId(modelId);
    List<Message> converted = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      converted.add(message(messages.get(i), "modelInput.messages[" + i + "]"));
    }
    b.messages(converted);
    JsonNode system = input.get("system");
    if (system != null) {
      if (!system.isArray()) {
        throw new InvalidModelInputException("modelInput.system must be an array");
      }
      List<SystemContentBlock> blocks = new ArrayList<>();
      for (int i = 0; i < system.size(); i++) {
        JsonNode text = system.get(i).get("text");
        if (text == null || !text.isTextual()) {
          throw new InvalidModelInputException("modelInput.system[" + i + "].text must be a string");
        }
        blocks.add(SystemContentBlock.fromText(text.asText()));
      }
      b.system(blocks);
    }
    JsonNode config = input.get("inferenceConfig");
    if (config != null) {
      b.inferenceConfig(inferenceConfig(config));
    }
    JsonNode additional = input.get("additionalModelRequestFields");
    if (additional != null) {
      b.additionalModelRequestFields(JsonDocuments.toDocument(additional));
    }
    JsonNode paths = input.get("additionalModelResponseFieldPaths");
    if (paths != null && paths.isArray()) {
      List<String> list = new ArrayList<>();
      paths.forEach(p -> list.add(p.asText()));
      b.additionalModelResponseFieldPaths(list);
    }
    return b.build();
  }

  private static Message message(JsonNode node, String where) {
    String role = node.path("role").asText("");
    if (!"user".equals(role) && !"assistant".equals(role)) {
      throw new InvalidModelInputException(where + ".role must be user or assistant");
    }
    JsonNode content = node.get("content");
    if (content == null || !content.isArray() || content.isEmpty()) {
      throw new InvalidModelInputException(where + ".content must be a non-empty array");
    }
    List<ContentBlock> blocks = new ArrayList<>();
    for (int i = 0; i < content.size(); i++) {
      blocks.add(contentBlock(content.get(i), where + ".content[" + i + "]"));
    }
    return Message.builder().role(ConversationRole.fromValue(role)).content(blocks).build();
  }

  private static ContentBlock contentBlock(JsonNode block, String where) {
    if (block.has("text")) {
      return ContentBlock.fromText(block.get("text").asText());
    }
    if (block.has("image")) {
      JsonNode image = block.get("image");
      return ContentBlock.fromImage(ImageBlock.builder()
          .format(image.path("format").asText())
          .source(imageSource(image.path("source"), where + ".image.source"))
          .build());
    }
    if (block.has("document")) {
      JsonNode doc = block.get("document");
      return ContentBlock.fromDocument(DocumentBlock.builder()
          .format(doc.path("format").asText())
          .name(doc.path("name").asText())
          .source(DocumentSource.fromBytes(bytes(doc.path("source").path("bytes"), where + ".document.source.bytes")))
          .build());
    }
    throw new InvalidModelInputException(where + " must hold text, image or document");
  }

  private static ImageSource imageSource(JsonNode source, String where) {
    if (source.has("bytes")) {
      return ImageSource.fromBytes(bytes(source.get("bytes"), where + ".bytes"));
    }
    if (source.has("s3Location")) {
      JsonNode loc = source.get("s3Location");
      return ImageSource.fromS3Location(S3Location.builder()
          .uri(loc.path("uri").asText())
          .bucketOwner(loc.hasNonNull("bucketOwner") ? loc.get("bucketOwner").asText() : null)
          .build());
    }
    throw new InvalidModelInputException(where + " must hold bytes or s3Location");
  }

  private static SdkBytes bytes(JsonNode base64, String where) {
    try {
      return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64.asText()));
    } catch (IllegalArgumentException e) {
      throw new InvalidModelInputException(where + " must be base64");
    }
  }

  private static InferenceConfiguration inferenceConfig(JsonNode c) {
    InferenceConfiguration.Builder b = InferenceConfiguration.builder();
    if (c.has("maxTokens")) {
      b.maxTokens(c.get("maxTokens").asInt());
    }
    if (c.has("temperature")) {
      b.temperature((float) c.get("temperature").asDouble());
    }
    if (c.has("topP")) {
      b.topP((float) c.get("topP").asDouble());
    }
    if (c.has("stopSequences")) {
      List<String> stops = new ArrayList<>();
      c.get("stopSequences").forEach(s -> stops.add(s.asText()));
      b.stopSequences(stops);
    }
    return b.build();
  }

  private static ModelResponse toModelResponse(ConverseResponse response) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode message = body.putObject("output").putObject("message");
    Message out = response.output() == null ? null : response.output().message();
    if (out != null) {
      message.put("role", out.roleAsString());
      ArrayNode content = message.putArray("content");
      for (ContentBlock block : out.content()) {
        ObjectNode b = content.addObject();
        if (block.text() != null) {
          b.put("text", block.text());
        } else if (block.toolUse() != null) {
          ObjectNode use = b.putObject("toolUse");
          use.put("toolUseId", block.toolUse().toolUseId());
          use.put("name", block.toolUse().name());
          use.set("input", JsonDocuments.toJson(block.toolUse().input()));
        }
      }
    }
    body.put("stopReason", response.stopReasonAsString());
    long in = 0;
    long outTokens = 0;
    if (response.usage() != null) {
      in = response.usage().inputTokens() == null ? 0 : response.usage().inputTokens();
      outTokens = response.usage().outputTokens() == null ? 0 : response.usage().outputTokens();
      ObjectNode usage = body.putObject("usage");
      usage.put("inputTokens", in);
      usage.put("outputTokens", outTokens);
      usage.put("totalTokens", in + outTokens);
    }
    if (response.metrics() != null && response.metrics().latencyMs() != null) {
      body.putObject("metrics").put("latencyMs", response.metrics().latencyMs());
    }
    if (response.additionalModelResponseFields() != null) {
      body.set("additionalModelResponseFields", JsonDocuments.toJson(response.additionalModelResponseFields()));
    }
    return new ModelResponse(body.toString(), in, outTokens);
  }
}
