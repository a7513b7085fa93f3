package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The constraints of Bedrock's API model (botocore service-2.json, Smithy patterns anchored), and
 * the checks that report a violation by field name.
 */
public final class FieldRules {
  // Where a Smithy pattern lets two parts of the expression claim the same characters (the dashes
  // of
  // "-*[...\\-...]", the alphanumerics split between "{1,n}" and the repeated group), the checked
  // expression makes the split unique with possessive quantifiers: the greedy parse is the only one
  // that can succeed, so giving characters back could never turn a failure into a match.
  // FieldPatternTest proves each pair equivalent on generated strings and bounds their time.

  /**
   * 1..63 alphanumerics, then units of dashes and one of [a-zA-Z0-9+-.]; a trailing dash run is one
   * unit.
   */
  public static final FieldPattern JOB_NAME =
      FieldPattern.of(
          "[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}",
          "[a-zA-Z0-9]{1,63}+(?:-*+[a-zA-Z0-9+.]|-++\\z){0,63}+");

  public static final FieldPattern ROLE_ARN =
      FieldPattern.of("arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+");
  public static final FieldPattern CLIENT_REQUEST_TOKEN =
      FieldPattern.of(
          "[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}",
          "[a-zA-Z0-9]{1,256}+(?:-*+[a-zA-Z0-9]){0,256}+");
  private static final String MODEL_ID_SMITHY =
      "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/[a-z0-9-]{1,63}[.]{1}[a-z0-9-:]{1,63}/[a-z0-9]{12}$)"
          + "|(:foundation-model/([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})"
          + "|(([0-9a-zA-Z][_-]?)+)$)|([0-9]{12}:(inference-profile|application-inference-profile)/[a-zA-Z0-9-:.]+$)))"
          + "|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})|(([0-9a-zA-Z][_-]?)+)";

  /** "([0-9a-zA-Z][_-]?)+" is always followed by the end, so each unit may keep its separator. */
  public static final FieldPattern MODEL_ID =
      FieldPattern.of(
          MODEL_ID_SMITHY,
          MODEL_ID_SMITHY.replace("(([0-9a-zA-Z][_-]?)+)", "((?:[0-9a-zA-Z][_-]?+)++)"));

  public static final FieldPattern S3_URI =
      FieldPattern.of(
          "s3://[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](?:/[-!_*'().a-z0-9A-Z]+(?:/[-!_*'().a-z0-9A-Z]+)*)?/?");
  public static final FieldPattern ACCOUNT_ID = FieldPattern.of("[0-9]{12}");
  public static final FieldPattern KMS_KEY_ID =
      FieldPattern.of(
          "(arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:((key/[a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)))"
              + "|([a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)");
  public static final FieldPattern VPC_ID = FieldPattern.of("[-0-9a-zA-Z]+");
  public static final FieldPattern TAG_TEXT = FieldPattern.of("[a-zA-Z0-9\\s._:/=+@-]*");
  public static final FieldPattern JOB_ARN =
      FieldPattern.of(
          "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/[a-z0-9]{12}");
  public static final FieldPattern JOB_IDENTIFIER =
      FieldPattern.of(
          "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12}");
  public static final FieldPattern NEXT_TOKEN = FieldPattern.of("\\S*");

  /** Every pattern, for tests that check them all. */
  static final Map<String, FieldPattern> ALL =
      Map.ofEntries(
          Map.entry("JOB_NAME", JOB_NAME), Map.entry("ROLE_ARN", ROLE_ARN),
          Map.entry("CLIENT_REQUEST_TOKEN", CLIENT_REQUEST_TOKEN), Map.entry("MODEL_ID", MODEL_ID),
          Map.entry("S3_URI", S3_URI), Map.entry("ACCOUNT_ID", ACCOUNT_ID),
          Map.entry("KMS_KEY_ID", KMS_KEY_ID), Map.entry("VPC_ID", VPC_ID),
          Map.entry("TAG_TEXT", TAG_TEXT), Map.entry("JOB_ARN", JOB_ARN),
          Map.entry("JOB_IDENTIFIER", JOB_IDENTIFIER), Map.entry("NEXT_TOKEN", NEXT_TOKEN));

  private final ValidationErrors errors;

  public FieldRules(ValidationErrors errors) {
    this.errors = errors;
  }

  /** A string member: present when required, a string, within length, matching the pattern. */
  public String string(
      JsonNode parent,
      String member,
      String path,
      boolean required,
      int min,
      int max,
      FieldPattern pattern) {
    JsonNode node = parent == null ? null : parent.get(member);
    if (node == null || node.isNull()) {
      if (required) {
        errors.missing(path);
      }
      return null;
    }
    if (!node.isTextual()) {
      errors.add(path, node.toString(), "Member must be a string");
      return null;
    }
    return check(node.asText(), path, min, max, pattern);
  }

  /** Checks an already extracted string. */
  public String check(String value, String path, int min, int max, FieldPattern pattern) {
    if (value.length() < min) {
      errors.add(path, value, "Member must have length greater than or equal to " + min);
      return null;
    }
    if (value.length() > max) {
      errors.add(path, value, "Member must have length less than or equal to " + max);
      return null;
    }
    if (pattern != null && !pattern.matches(value)) {
      errors.add(
          path, value, "Member must satisfy regular expression pattern: " + pattern.smithy());
      return null;
    }
    return value;
  }

  /** An optional integer member within bounds. */
  public Integer integer(JsonNode parent, String member, String path, int min, int max) {
    JsonNode node = parent.get(member);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      errors.add(path, node.toString(), "Member must be an integer");
      return null;
    }
    int value = node.intValue();
    if (value < min) {
      errors.add(path, value, "Member must have value greater than or equal to " + min);
      return null;
    }
    if (value > max) {
      errors.add(path, value, "Member must have value less than or equal to " + max);
      return null;
    }
    return value;
  }

  /** A structure member: an object when present. */
  public JsonNode object(JsonNode parent, String member, String path, boolean required) {
    JsonNode node = parent.get(member);
    if (node == null || node.isNull()) {
      if (required) {
        errors.missing(path);
      }
      return null;
    }
    if (!node.isObject()) {
      errors.add(path, node.toString(), "Member must be a structure");
      return null;
    }
    return node;
  }

  /** A list member within size bounds. */
  public JsonNode list(
      JsonNode parent, String member, String path, boolean required, int min, int max) {
    JsonNode node = parent.get(member);
    if (node == null || node.isNull()) {
      if (required) {
        errors.missing(path);
      }
      return null;
    }
    if (!node.isArray()) {
      errors.add(path, node.toString(), "Member must be a list");
      return null;
    }
    if (node.size() < min) {
      errors.add(
          path, node.size() + " items", "Member must have length greater than or equal to " + min);
      return null;
    }
    if (node.size() > max) {
      errors.add(
          path, node.size() + " items", "Member must have length less than or equal to " + max);
      return null;
    }
    return node;
  }

  /** An enum member: one of the given wire values. */
  public String oneOf(JsonNode parent, String member, String path, String... values) {
    String value = string(parent, member, path, false, 1, 256, null);
    if (value == null) {
      return null;
    }
    for (String allowed : values) {
      if (allowed.equals(value)) {
        return value;
      }
    }
    errors.add(
        path, value, "Member must satisfy enum value set: [" + String.join(", ", values) + "]");
    return null;
  }

  /** A union: exactly one of the known members must be set. */
  public JsonNode union(JsonNode parent, String member, String path, String onlyMember) {
    JsonNode union = object(parent, member, path, true);
    if (union == null) {
      return null;
    }
    int set = 0;
    for (var it = union.fields(); it.hasNext(); ) {
      if (!it.next().getValue().isNull()) {
        set++;
      }
    }
    if (set != 1 || !union.hasNonNull(onlyMember)) {
      errors.add(path, union.toString(), "Member must have exactly one member set: " + onlyMember);
      return null;
    }
    return object(union, onlyMember, path + "." + onlyMember, true);
  }

  public ValidationErrors errors() {
    return errors;
  }
}
