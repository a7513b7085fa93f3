package dev.quarry.emulator.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.emulator.wire.ServiceError;
import java.util.List;
import java.util.Set;

/** The model-agnostic Converse API ({@code POST /model/{id}/converse}) for any text family. */
public final class ConverseApi {
    private static final Set<String> KEYS = Set.of("messages", "system", "inferenceConfig", "toolConfig",
            "guardrailConfig", "additionalModelRequestFields", "promptVariables",
            "additionalModelResponseFieldPaths", "requestMetadata", "performanceConfig", "serviceTier");
    private static final Set<String> MESSAGE_KEYS = Set.of("role", "content");
    private static final Set<String> INFERENCE_KEYS = Set.of("maxTokens", "temperature", "topP", "stopSequences");
    private static final List<String> ROLES = List.of("user", "assistant");

    private ConverseApi() {
    }

    /** Validates a Converse body for a model of {@code family} and reduces it. */
    public static ModelRequest parse(JsonNode body, ModelFamily family) {
        if (!family.supportsConverse()) {
            throw ServiceError.validation("This action doesn't support the model that you provided. Try again with "
                    + "a supported text or chat model. (The model doesn't support Converse.)");
        }
        SchemaViolations v = new SchemaViolations(SchemaViolations.Style.CONVERSE);
        ObjectNode root = v.root(body);
        v.throwIfAny();
        v.allowOnly(root, "#", KEYS);
        TranscriptText transcript = new TranscriptText();
        ArrayNode system = v.array(v.optional(root, "system"), "#/system", 0);
        transcript.system(ContentBlocks.text(v, system, "#/system", ContentBlocks.SYSTEM_BLOCK_TYPES));
        ArrayNode messages = v.array(v.required(root, "#", "messages"), "#/messages", 1);
        String firstRole = null;
        if (messages != null) {
            for (int i = 0; i < messages.size(); i++) {
                String path = SchemaViolations.index("#/messages", i);
                ObjectNode message = v.object(messages.get(i), path);
                v.allowOnly(message, path, MESSAGE_KEYS);
                String role = v.oneOf(v.required(message, path, "role"), path + "/role", ROLES);
                ArrayNode content = v.array(v.required(message, path, "content"), path + "/content", 0);
                transcript.turn(role, ContentBlocks.text(v, content, path + "/content",
                        ContentBlocks.MESSAGE_BLOCK_TYPES));
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
        v.throwIfAny();
        if ("assistant".equals(firstRole)) {
            throw ServiceError.validation("A conversation must start with a user message. Try again with a "
                    + "conversation that starts with a user message.");
        }
        return ModelRequest.text(transcript.lastUserText(), transcript.characters(), maxTokens,
                family.defaultMaxTokens(), (json, c) -> {
                    json.writeStartObject();
                    json.writeObjectFieldStart("output");
                    json.writeObjectFieldStart("message");
                    json.writeStringField("role", "assistant");
                    json.writeArrayFieldStart("content");
                    json.writeStartObject();
                    json.writeStringField("text", c.text());
                    json.writeEndObject();
                    json.writeEndArray();
                    json.writeEndObject();
                    json.writeEndObject();
                    json.writeStringField("stopReason", c.hitMaxTokens() ? "max_tokens" : "end_turn");
                    json.writeObjectFieldStart("usage");
                    json.writeNumberField("inputTokens", c.inputTokens());
                    json.writeNumberField("outputTokens", c.outputTokens());
                    json.writeNumberField("totalTokens", c.inputTokens() + c.outputTokens());
                    json.writeEndObject();
                    json.writeObjectFieldStart("metrics");
                    json.writeNumberField("latencyMs", c.latencyMillis());
                    json.writeEndObject();
                    json.writeEndObject();
                });
    }
}
