package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.store.JobStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code TagResource}, {@code UntagResource} and {@code ListTagsForResource} on job ARNs of the
 * caller's account; any other ARN answers as if the job did not exist.
 */
final class TagOperations {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_TAGS = 200;

  private final JobStore store;

  TagOperations(JobStore store) {
    this.store = store;
  }

  /** {@code POST /tagResource} with {@code {"resourceARN", "tags": [{"key","value"}]}}. */
  JsonNode tag(ApiRequest request) {
    ValidationErrors errors = new ValidationErrors();
    FieldRules rules = new FieldRules(errors);
    String arn =
        rules.string(
            request.body(), "resourceARN", "resourceARN", true, 20, 1011, FieldRules.JOB_ARN);
    List<Tag> tags = CreateJobRequest.parseTags(rules, request.body(), "tags", MAX_TAGS);
    if (!request.body().hasNonNull("tags")) {
      errors.missing("tags");
    }
    errors.throwIfAny();
    requireJob(request.caller(), arn);
    Map<String, String> current = store.tags(arn);
    Set<String> keys = new HashSet<>(current.keySet());
    Map<String, String> added = new LinkedHashMap<>();
    for (Tag t : tags) {
      keys.add(t.key());
      added.put(t.key(), t.value());
    }
    if (keys.size() > MAX_TAGS) {
      throw ApiException.tooManyTags(
          "Resource " + arn + " would have " + keys.size() + " tags; the limit is " + MAX_TAGS);
    }
    store.tag(arn, added);
    return JSON.createObjectNode();
  }

  /** {@code POST /untagResource} with {@code {"resourceARN", "tagKeys": […]}}. */
  JsonNode untag(ApiRequest request) {
    ValidationErrors errors = new ValidationErrors();
    FieldRules rules = new FieldRules(errors);
    String arn =
        rules.string(
            request.body(), "resourceARN", "resourceARN", true, 20, 1011, FieldRules.JOB_ARN);
    JsonNode keys = rules.list(request.body(), "tagKeys", "tagKeys", true, 0, MAX_TAGS);
    List<String> names = new ArrayList<>();
    if (keys != null) {
      for (int i = 0; i < keys.size(); i++) {
        JsonNode k = keys.get(i);
        String where = "tagKeys." + (i + 1);
        if (!k.isTextual()) {
          errors.add(where, k.toString(), "Member must be a string");
        } else if (rules.check(k.asText(), where, 1, 128, FieldRules.TAG_TEXT) != null) {
          names.add(k.asText());
        }
      }
    }
    errors.throwIfAny();
    requireJob(request.caller(), arn);
    store.untag(arn, names);
    return JSON.createObjectNode();
  }

  /** {@code POST /listTagsForResource} with {@code {"resourceARN"}}. */
  JsonNode list(ApiRequest request) {
    ValidationErrors errors = new ValidationErrors();
    String arn =
        new FieldRules(errors)
            .string(
                request.body(), "resourceARN", "resourceARN", true, 20, 1011, FieldRules.JOB_ARN);
    errors.throwIfAny();
    requireJob(request.caller(), arn);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode tags = body.putArray("tags");
    store.tags(arn).forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
    return body;
  }

  private void requireJob(Caller caller, String arn) {
    String jobId = JobArns.jobIdFromArn(arn, "resourceARN");
    if (OwnedJob.find(store, caller, jobId, arn).isEmpty()) {
      throw ApiException.notFound("Resource " + arn + " does not exist");
    }
  }
}
