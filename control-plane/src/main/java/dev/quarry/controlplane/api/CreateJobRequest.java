package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.controlplane.quota.Priority;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code CreateModelInvocationJob} request; {@link #parse} checks every constraint of
 * the Bedrock model and names each offending field.
 *
 * @param inputDataConfig the {@code inputDataConfig} object as sent, returned verbatim by Get
 * @param outputDataConfig the {@code outputDataConfig} object as sent
 * @param vpcConfig the {@code vpcConfig} object as sent, or {@code null}
 */
public record CreateJobRequest(
    String jobName,
    String roleArn,
    String clientRequestToken,
    String modelId,
    JsonNode inputDataConfig,
    String inputS3Uri,
    JsonNode outputDataConfig,
    String outputS3Uri,
    JsonNode vpcConfig,
    Integer timeoutDurationInHours,
    List<Tag> tags,
    String modelInvocationType) {

  public static final int MIN_TIMEOUT_HOURS = 24;
  public static final int MAX_TIMEOUT_HOURS = 168;
  public static final int MAX_TAGS = 200;

  /** Validates a request body; throws a ValidationException listing every violation. */
  public static CreateJobRequest parse(JsonNode body) {
    ValidationErrors errors = new ValidationErrors();
    FieldRules rules = new FieldRules(errors);
    String jobName = rules.string(body, "jobName", "jobName", true, 1, 63, FieldRules.JOB_NAME);
    String roleArn = rules.string(body, "roleArn", "roleArn", true, 0, 2048, FieldRules.ROLE_ARN);
    String token =
        rules.string(
            body,
            "clientRequestToken",
            "clientRequestToken",
            false,
            1,
            256,
            FieldRules.CLIENT_REQUEST_TOKEN);
    String modelId = rules.string(body, "modelId", "modelId", true, 1, 2048, FieldRules.MODEL_ID);

    JsonNode input = body.get("inputDataConfig");
    JsonNode s3Input = rules.union(body, "inputDataConfig", "inputDataConfig", "s3InputDataConfig");
    String inputUri = null;
    if (s3Input != null) {
      String path = "inputDataConfig.s3InputDataConfig";
      inputUri = rules.string(s3Input, "s3Uri", path + ".s3Uri", true, 1, 1024, FieldRules.S3_URI);
      rules.oneOf(s3Input, "s3InputFormat", path + ".s3InputFormat", "JSONL");
      rules.string(
          s3Input, "s3BucketOwner", path + ".s3BucketOwner", false, 12, 12, FieldRules.ACCOUNT_ID);
    }

    JsonNode output = body.get("outputDataConfig");
    JsonNode s3Output =
        rules.union(body, "outputDataConfig", "outputDataConfig", "s3OutputDataConfig");
    String outputUri = null;
    if (s3Output != null) {
      String path = "outputDataConfig.s3OutputDataConfig";
      outputUri =
          rules.string(s3Output, "s3Uri", path + ".s3Uri", true, 1, 1024, FieldRules.S3_URI);
      rules.string(
          s3Output,
          "s3EncryptionKeyId",
          path + ".s3EncryptionKeyId",
          false,
          1,
          2048,
          FieldRules.KMS_KEY_ID);
      rules.string(
          s3Output, "s3BucketOwner", path + ".s3BucketOwner", false, 12, 12, FieldRules.ACCOUNT_ID);
    }

    JsonNode vpc = rules.object(body, "vpcConfig", "vpcConfig", false);
    if (vpc != null) {
      checkIds(rules, vpc, "subnetIds", 16);
      checkIds(rules, vpc, "securityGroupIds", 5);
    }

    Integer timeout =
        rules.integer(
            body,
            "timeoutDurationInHours",
            "timeoutDurationInHours",
            MIN_TIMEOUT_HOURS,
            MAX_TIMEOUT_HOURS);
    List<Tag> tags = parseTags(rules, body, "tags", MAX_TAGS);
    String invocationType =
        rules.oneOf(body, "modelInvocationType", "modelInvocationType", "InvokeModel", "Converse");
    errors.throwIfAny();
    return new CreateJobRequest(
        jobName,
        roleArn,
        token,
        modelId,
        input,
        inputUri,
        output,
        outputUri,
        vpc,
        timeout,
        tags,
        invocationType);
  }

  private static void checkIds(FieldRules rules, JsonNode vpc, String member, int max) {
    String path = "vpcConfig." + member;
    JsonNode ids = rules.list(vpc, member, path, true, 1, max);
    if (ids == null) {
      return;
    }
    for (int i = 0; i < ids.size(); i++) {
      JsonNode id = ids.get(i);
      String where = path + "." + (i + 1);
      if (!id.isTextual()) {
        rules.errors().add(where, id.toString(), "Member must be a string");
      } else {
        rules.check(id.asText(), where, 0, 32, FieldRules.VPC_ID);
      }
    }
  }

  /** Parses a {@code [{"key","value"}]} list; also used by TagResource. */
  static List<Tag> parseTags(FieldRules rules, JsonNode body, String member, int max) {
    JsonNode list = rules.list(body, member, member, false, 0, max);
    List<Tag> tags = new ArrayList<>();
    if (list == null) {
      return tags;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode tag = list.get(i);
      String where = member + "." + (i + 1);
      if (!tag.isObject()) {
        rules.errors().add(where, tag.toString(), "Member must be a structure");
        continue;
      }
      String key = rules.string(tag, "key", where + ".key", true, 1, 128, FieldRules.TAG_TEXT);
      String value =
          rules.string(tag, "value", where + ".value", true, 0, 256, FieldRules.TAG_TEXT);
      if (key != null && value != null) {
        if (key.equals(Priority.TAG) && !Priority.isTagValue(value)) {
          // Quarry's own tag: a misspelt priority would silently run as normal
          rules
              .errors()
              .add(
                  where + ".value",
                  value,
                  "Member must satisfy enum value set: [high, normal, low]"
                      + " (the value of tag "
                      + Priority.TAG
                      + ")");
          continue;
        }
        tags.add(new Tag(key, value));
      }
    }
    return tags;
  }
}
