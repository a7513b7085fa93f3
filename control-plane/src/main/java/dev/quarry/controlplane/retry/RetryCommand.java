package dev.quarry.controlplane.retry;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.BedrockException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code scripts/quarry retry}: re-runs, as a new job, the records of an ended job that have no
 * success line. Credentials come from system properties, the AWS environment variables or the AWS
 * profile, as in the SDK's default chain; {@code scripts/quarry serve} prints the local stack's key
 * pair.
 *
 * <p>Exit codes: 0 when a job was created or nothing was left to retry, 1 when the retry cannot be
 * made (the message says why), 2 for a bad command line.
 */
public final class RetryCommand {
  private RetryCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the command; returns its exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
      out.println(RetryOptions.usage());
      return 0;
    }
    RetryOptions options;
    try {
      options = RetryOptions.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(RetryOptions.usage());
      return 2;
    }
    Region region = Region.of(options.region());
    AwsCredentialsProvider credentials = credentials();
    try {
      credentials.resolveCredentials();
    } catch (SdkClientException e) {
      err.println(
          "quarry retry: no AWS credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
              + " (scripts/quarry serve prints the local stack's pair) or AWS_PROFILE.");
      return 1;
    }
    try (BedrockClient bedrock =
            BedrockClient.builder()
                .endpointOverride(options.endpoint())
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(options.s3Endpoint())
                .forcePathStyle(true)
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build()) {
      RetryResult result =
          new JobRetry(bedrock, s3, options.errors()).retry(options.jobIdentifier());
      print(result, out);
      return 0;
    } catch (RetryException e) {
      err.println("quarry retry: " + e.getMessage());
      return 1;
    } catch (BedrockException e) {
      err.println(
          "quarry retry: the control plane at " + options.endpoint() + " says: " + message(e));
      return 1;
    } catch (S3Exception e) {
      err.println("quarry retry: S3 at " + options.s3Endpoint() + " says: " + message(e));
      return 1;
    } catch (SdkException e) {
      err.println(
          "quarry retry: "
              + e.getMessage()
              + " (control plane at "
              + options.endpoint()
              + ", S3 at "
              + options.s3Endpoint()
              + ")");
      return 1;
    } catch (IOException e) {
      err.println("quarry retry: " + e.getMessage());
      return 1;
    }
  }

  /**
   * The standard chain's sources that need no network: system properties, the environment, the
   * profile. Instance and container metadata are left out: this tool runs next to a control plane.
   */
  private static AwsCredentialsProvider credentials() {
    return AwsCredentialsProviderChain.builder()
        .credentialsProviders(
            SystemPropertyCredentialsProvider.create(),
            EnvironmentVariableCredentialsProvider.create(),
            ProfileCredentialsProvider.create())
        .build();
  }

  private static String message(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
        ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()
        : e.getMessage();
  }

  private static void print(RetryResult result, PrintStream out) {
    RetryCounts counts = result.counts();
    String job = result.oldJobArn() + " (" + result.oldStatus() + ")";
    if (!result.created()) {
      if (counts.leftOut() + counts.notJsonLeftOut() == 0) {
        out.println(
            "Nothing to retry: every record of " + job + " has a success line. No job created.");
      } else if (counts.leftOut() > 0) {
        out.println(
            "Nothing to retry in "
                + job
                + " with --errors retryable: its "
                + counts.leftOut()
                + " records without a success line have errors that are not retryable or invalid input lines"
                + " (--errors all picks them). No job created.");
      } else {
        out.println(
            "Nothing to retry in "
                + job
                + " but "
                + counts.notJsonLeftOut()
                + " input lines that are not"
                + " JSON, too few to make a retry input that passes validation. No job created.");
      }
      out.flush();
      return;
    }
    out.println("retry-of: " + job);
    out.println("records: " + counts.total() + " (" + counts + ")");
    if (counts.leftOut() > 0) {
      out.println(
          "left out: "
              + counts.leftOut()
              + " with errors that are not retryable or invalid input lines"
              + " (--errors all picks them)");
    }
    if (counts.notJsonLeftOut() > 0) {
      out.println(
          "left out: "
              + counts.notJsonLeftOut()
              + " input lines that are not JSON, from retry files that"
              + " would hold nothing else (validation fails a file with no JSON object among its first lines)");
    }
    out.println("input: " + result.inputUri());
    out.println("job-name: " + result.newJobName());
    out.println("job-arn: " + result.newJobArn());
    out.flush();
  }
}
