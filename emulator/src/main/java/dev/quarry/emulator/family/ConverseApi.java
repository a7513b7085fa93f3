package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.wire.ServiceError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The model-agnostic Converse API ({@code POST /model/{id}/converse}) for any text family.
 *
 * <p>Members the emulator does not know are let through, so a request using a member Bedrock added
 * later is still answered; only {@code modelId}, which belongs in the path, is refused as Bedrock
 * refuses it.
 */
public final class ConverseApi {
  private static final Set<String> FORBIDDEN_KEYS = Set.of("modelId");
  private static final Set<String> MESSAGE_KEYS = Set.of("role", "content");
  private static final Set<String> INFERENCE_KEYS =
      Set.of("maxTokens", "temperature", "topP", "stopSequences");
  private static final List<String> ROLES = List.of("user", "assistant");
  private static final List<String> GUARDRAIL_TRACE =
      List.of("enabled", "disabled", "enabled_full");
  private static final List<String> LATENCIES = List.of("standard", "optimized");
  private static final List<String> SERVICE_TIERS =
      List.of("priority", "default", "flex", "reserved");

  private ConverseApi() {}

  /** Validates a Converse body for a model of {@code family} and reduces it. */
  public static ModelRequest parse(JsonNode body, ModelFamily family) {
    if (!family.supportsConverse()) {
      throw ServiceError.validation(
          "This action doesn't support the model that you provided. Try again with "
              + "a supported text or chat model. (The model doesn't support Converse.)");
    }
    SchemaViolations v = new SchemaViolations(SchemaViolations.Style.CONVERSE);
    ObjectNode root = v.root(body);
    v.throwIfAny();
    v.forbid(root, "#", FORBIDDEN_KEYS);
    TranscriptText transcript = new TranscriptText();
    ArrayNode system = v.array(v.optional(root, "system"), "#/system", 0);
    long lastSystemCachePoint = offset(transcript, ContentBlocks.lastCachePointOffset(system));
    transcript.system(ContentBlocks.text(v, system, "#/system", ContentBlocks.SYSTEM_BLOCK_TYPES));
    long lastMessageCachePoint = -1;
    ArrayNode messages = v.array(v.required(root, "#", "messages"), "#/messages", 1);
    String firstRole = null;
    if (messages != null) {
      for (int i = 0; i < messages.size(); i++) {
        String path = SchemaViolations.index("#/messages", i);
        ObjectNode message = v.object(messages.get(i), path);
        v.allowOnly(message, path, MESSAGE_KEYS);
        String role = v.oneOf(v.required(message, path, "role"), path + "/role", ROLES);
        ArrayNode content = v.array(v.required(message, path, "content"), path + "/content", 0);
        long cachePoint = offset(transcript, ContentBlocks.lastCachePointOffset(content));
        if (cachePoint >= 0) {
          lastMessageCachePoint = cachePoint;
        }
        transcript.turn(
            role,
            ContentBlocks.text(v, content, path + "/content", ContentBlocks.MESSAGE_BLOCK_TYPES));
        if (i == 0) {
          firstRole = role;
        }
      }
    }
    Integer maxTokens = null;
    ObjectNode inference = v.object(v.optional(root, "inferenceConfig"), "#/inferenceConfig");
    if (inference != null) {
      v.allowOnly(inference, "#/inferenceConfig", INFERENCE_KEYS);
      maxTokens = v.integer(v.optional(inference, "maxTokens"), "#/inferenceConfig/maxTokens", 1);
      v.number(v.optional(inference, "temperature"), "#/inferenceConfig/temperature", 0, 1);
      v.number(v.optional(inference, "topP"), "#/inferenceConfig/topP", 0, 1);
      v.stringArray(v.optional(inference, "stopSequences"), "#/inferenceConfig/stopSequences");
    }
    GuardrailTrace guardrailTrace =
        guardrailTrace(
            v,
            v.object(v.optional(root, "guardrailConfig"), "#/guardrailConfig"),
            transcript.characters());
    boolean reasoning = asksForReasoning(v.optional(root, "additionalModelRequestFields"));
    List<String> responseFieldPaths = new ArrayList<>();
    ArrayNode paths =
        v.array(
            v.optional(root, "additionalModelResponseFieldPaths"),
            "#/additionalModelResponseFieldPaths",
            0);
    if (paths != null) {
      for (int i = 0; i < paths.size(); i++) {
        String p =
            v.string(
                paths.get(i), SchemaViolations.index("#/additionalModelResponseFieldPaths", i), 1);
        if (p != null) {
          responseFieldPaths.add(p);
        }
      }
    }
    ObjectNode performance = v.object(v.optional(root, "performanceConfig"), "#/performanceConfig");
    if (performance != null) {
      v.oneOf(v.optional(performance, "latency"), "#/performanceConfig/latency", LATENCIES);
    }
    ObjectNode serviceTier = v.object(v.optional(root, "serviceTier"), "#/serviceTier");
    if (serviceTier != null) {
      v.oneOf(v.optional(serviceTier, "type"), "#/serviceTier/type", SERVICE_TIERS);
    }
    v.throwIfAny();
    if ("assistant".equals(firstRole)) {
      throw ServiceError.validation(
          "A conversation must start with a user message. Try again with a "
              + "conversation that starts with a user message.");
    }
    boolean cached = lastSystemCachePoint >= 0 || lastMessageCachePoint >= 0;
    ConverseReply reply =
        new ConverseReply(
            cached, reasoning, responseFieldPaths, guardrailTrace, performance, serviceTier);
    ModelRequest request =
        ModelRequest.text(
            transcript.lastUserText(),
            transcript.characters(),
            maxTokens,
            family.defaultMaxTokens(),
            reply);
    return cached
        ? request.withPromptCache(PromptCache.of(lastSystemCachePoint, lastMessageCachePoint))
        : request;
  }

  // A cache point's offset within its block list, as an offset in the whole prompt.
  private static long offset(TranscriptText transcript, long offsetInBlocks) {
    return offsetInBlocks < 0 ? -1 : transcript.characters() + offsetInBlocks;
  }

  private static GuardrailTrace guardrailTrace(
      SchemaViolations v, ObjectNode config, long promptCharacters) {
    if (config == null) {
      return null;
    }
    String path = "#/guardrailConfig";
    String id =
        v.string(v.required(config, path, "guardrailIdentifier"), path + "/guardrailIdentifier");
    v.string(v.required(config, path, "guardrailVersion"), path + "/guardrailVersion");
    String trace = v.oneOf(v.optional(config, "trace"), path + "/trace", GUARDRAIL_TRACE);
    if (id == null || trace == null || trace.equals("disabled")) {
      return null;
    }
    return new GuardrailTrace(id, trace.equals("enabled_full"), promptCharacters);
  }

  /**
   * Whether the model-specific fields turn on reasoning: Anthropic's {@code thinking} (type other
   * than {@code disabled}), or a {@code reasoning_config} / {@code reasoningConfig} as other
   * families name it.
   */
  static boolean asksForReasoning(JsonNode additionalFields) {
    if (additionalFields == null || !additionalFields.isObject()) {
      return false;
    }
    for (String name : List.of("thinking", "reasoning_config", "reasoningConfig")) {
      JsonNode setting = additionalFields.get(name);
      if (setting == null || setting.isNull() || (setting.isBoolean() && !setting.booleanValue())) {
        continue;
      }
      if (!"disabled".equals(setting.path("type").asText())) {
        return true;
      }
    }
    return false;
  }
}
