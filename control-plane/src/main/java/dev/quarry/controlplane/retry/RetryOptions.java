package dev.quarry.controlplane.retry;

import java.net.URI;
import java.util.Map;

/**
 * The command line of {@code scripts/quarry retry}.
 *
 * @param jobIdentifier the ended job, by ARN or id
 * @param errors which error lines to run again
 * @param endpoint the control plane's Bedrock API
 * @param s3Endpoint the S3 endpoint that holds the job's input and output
 * @param region the region to sign requests for
 */
public record RetryOptions(
    String jobIdentifier, ErrorSelection errors, URI endpoint, URI s3Endpoint, String region) {
  public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8090";

  /** Where {@code scripts/quarry serve} runs its local S3: the control plane's port + 1. */
  public static final String DEFAULT_S3_ENDPOINT = "http://127.0.0.1:8091";

  public static final String DEFAULT_REGION = "us-east-1";

  /** The AWS SDKs' variable for a service-specific S3 endpoint. */
  static final String S3_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_S3";

  public RetryOptions {
    if (jobIdentifier == null || jobIdentifier.isBlank()) {
      throw new IllegalArgumentException("Which job? Give its ARN or id.");
    }
    if (errors == null
        || endpoint == null
        || s3Endpoint == null
        || region == null
        || region.isBlank()) {
      throw new IllegalArgumentException("Every option needs a value");
    }
  }

  /**
   * Parses {@code JOB_ARN_OR_ID [--errors retryable|all] [--endpoint-url URL] [--s3-endpoint-url
   * URL] [--region R]}.
   */
  public static RetryOptions parse(String[] args, Map<String, String> env) {
    String job = null;
    ErrorSelection errors = ErrorSelection.RETRYABLE;
    String endpoint = DEFAULT_ENDPOINT;
    String s3Endpoint = env.getOrDefault(S3_ENDPOINT_VARIABLE, DEFAULT_S3_ENDPOINT);
    String region = DEFAULT_REGION;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        if (job != null) {
          throw new IllegalArgumentException("One job at a time; also got " + arg);
        }
        job = arg;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value after " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--errors" -> errors = ErrorSelection.parse(value);
        case "--endpoint-url" -> endpoint = value;
        case "--s3-endpoint-url" -> s3Endpoint = value;
        case "--region" -> region = value;
        default -> throw new IllegalArgumentException("Unknown option " + arg);
      }
    }
    return new RetryOptions(
        job, errors, uri("--endpoint-url", endpoint), uri("--s3-endpoint-url", s3Endpoint), region);
  }

  private static URI uri(String option, String value) {
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException(
            option + " must be a URL like http://host:port, was " + value);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + " must be a URL like http://host:port, was " + value, e);
    }
  }

  static String usage() {
    return "Usage: scripts/quarry retry JOB_ARN_OR_ID [--errors retryable|all] [--endpoint-url URL]"
        + " [--s3-endpoint-url URL] [--region R]";
  }
}
