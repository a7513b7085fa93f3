package dev.quarry.controlplane.api;

import java.security.SecureRandom;

/**
 * Job ids and ARNs in Bedrock's format: 12 characters of {@code [a-z0-9]} inside the owning
 * account's ARN.
 */
public final class JobArns {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final String RESOURCE = ":model-invocation-job/";
  private final SecureRandom random = new SecureRandom();
  private final String region;

  public JobArns(String region) {
    this.region = region;
  }

  public String newJobId() {
    char[] id = new char[12];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(id);
  }

  /** The ARN of job {@code jobId} of account {@code accountId} (the caller that created it). */
  public String arn(String accountId, String jobId) {
    return "arn:aws:bedrock:" + region + ":" + accountId + RESOURCE + jobId;
  }

  /**
   * The job id in a {@code jobIdentifier} (a bare id or a job ARN, already percent-decoded), or a
   * ValidationException naming the parameter.
   */
  public static String jobId(String identifier, String field) {
    ValidationErrors errors = new ValidationErrors();
    new FieldRules(errors).check(identifier, field, 0, 1011, FieldRules.JOB_IDENTIFIER);
    errors.throwIfAny();
    return identifier.substring(identifier.lastIndexOf('/') + 1);
  }

  /** The job id in a job ARN (for tag operations), or a ValidationException naming the field. */
  public static String jobIdFromArn(String arn, String field) {
    ValidationErrors errors = new ValidationErrors();
    new FieldRules(errors).check(arn, field, 20, 1011, FieldRules.JOB_ARN);
    errors.throwIfAny();
    return arn.substring(arn.lastIndexOf('/') + 1);
  }
}
