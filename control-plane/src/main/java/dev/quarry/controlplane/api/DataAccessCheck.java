package dev.quarry.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.controlplane.access.BucketOwners;
import dev.quarry.controlplane.access.S3Prefixes;

/**
 * Create's data-access check: the input and output URIs lie under the caller's allow-lists, and an
 * {@code s3BucketOwner} names the bucket's owner. Failures are {@code AccessDeniedException} naming
 * the URI, never the service's view of the bucket.
 */
final class DataAccessCheck {
  private final BucketOwners owners;

  DataAccessCheck(BucketOwners owners) {
    this.owners = owners;
  }

  void check(Caller caller, CreateJobRequest request) {
    JsonNode input = request.inputDataConfig().path("s3InputDataConfig");
    JsonNode output = request.outputDataConfig().path("s3OutputDataConfig");
    checkUris(caller, input.path("s3Uri").asText(), output.path("s3Uri").asText());
    checkOwner(caller, input, "inputDataConfig.s3InputDataConfig.s3BucketOwner");
    checkOwner(caller, output, "outputDataConfig.s3OutputDataConfig.s3BucketOwner");
  }

  /** The input and output URIs lie under the caller's allow-lists. */
  void checkUris(Caller caller, String inputUri, String outputUri) {
    checkPrefix(caller, inputUri, caller.access().input(), "read", "allow-input");
    checkPrefix(caller, outputUri, caller.access().output(), "write", "allow-output");
  }

  private static void checkPrefix(
      Caller caller, String uri, S3Prefixes allowed, String verb, String list) {
    if (!allowed.allows(uri)) {
      throw ApiException.accessDenied(
          "Access key "
              + caller.accessKey()
              + " may not "
              + verb
              + " "
              + uri
              + ": "
              + (allowed.isEmpty()
                  ? "its " + list + " list is empty"
                  : "it is not under the key's " + list + " prefixes"));
    }
  }

  private void checkOwner(Caller caller, JsonNode s3Config, String field) {
    if (!s3Config.hasNonNull("s3BucketOwner")) {
      return;
    }
    String uri = s3Config.path("s3Uri").asText();
    String expected = owners.ownerOf(bucketOf(uri)).orElse(caller.account());
    String given = s3Config.get("s3BucketOwner").asText();
    if (!given.equals(expected)) {
      throw ApiException.accessDenied(
          field + " " + given + " is not the owner of the bucket of " + uri);
    }
  }

  private static String bucketOf(String s3Uri) {
    String rest = s3Uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
