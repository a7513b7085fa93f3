package dev.quarry.job.invoke.openaibatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.job.invoke.InvalidModelInputException;
import dev.quarry.job.invoke.MalformedModelResponseException;
import java.io.IOException;

/**
 * What every request of a batch shares: the one model the batch runs (as OpenAI, a batch serves one
 * model), and answers that must be JSON objects.
 */
final class BatchModel {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchModel() {}

  /** A 400 unless {@code body.model} is the batch's model. */
  static void require(JsonNode body, String batchModel) {
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual()) {
      throw new InvalidModelInputException("body.model is required and must be a string");
    }
    if (!model.textValue().equals(batchModel)) {
      throw new InvalidModelInputException(
          "body.model "
              + model.textValue()
              + " is not the batch's model "
              + batchModel
              + ": a batch runs one model");
    }
  }

  /** An answer's body as a JSON object. */
  static JsonNode parse(byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new MalformedModelResponseException("The model's answer is not JSON");
    }
    if (json == null || !json.isObject()) {
      throw new MalformedModelResponseException("The model's answer is not a JSON object");
    }
    return json;
  }
}
