package dev.quarry.job.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.job.secret.SecretRef;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where and as whom the job calls Bedrock Runtime. The secret parts are references, resolved by the
 * TaskManager that makes the calls: the spec, the job graph and Flink's REST API never hold them.
 *
 * @param endpoint endpoint override (the emulator, a VPC endpoint), or {@code null} for the
 *     regional default
 * @param region AWS region, e.g. {@code us-east-1}
 * @param accessKeyId static access key id (not secret: it names the key), or {@code null} to use
 *     the AWS default credential chain
 * @param secretAccessKeyRef where the secret paired with {@code accessKeyId} is
 * @param sessionTokenRef where the session token of temporary static credentials is, or {@code
 *     null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BedrockEndpoint(
    String endpoint,
    String region,
    String accessKeyId,
    SecretRef secretAccessKeyRef,
    SecretRef sessionTokenRef)
    implements Serializable {

  public BedrockEndpoint {
    Objects.requireNonNull(region, "region");
    if ((accessKeyId == null) != (secretAccessKeyRef == null)) {
      throw new IllegalArgumentException("accessKeyId and secretAccessKeyRef go together");
    }
  }

  /** The regional endpoint with the default credential chain. */
  public static BedrockEndpoint defaultChain(String region) {
    return new BedrockEndpoint(null, region, null, null, null);
  }

  /**
   * An explicit endpoint with a static key whose secret is found through {@code
   * secretAccessKeyRef}.
   */
  public static BedrockEndpoint staticKeys(
      String endpoint, String region, String accessKeyId, SecretRef secretAccessKeyRef) {
    return new BedrockEndpoint(endpoint, region, accessKeyId, secretAccessKeyRef, null);
  }

  /**
   * An explicit endpoint with a static key whose secret stays in this JVM ({@link
   * SecretRef#inProcess}): for jobs on a MiniCluster in this process, as tests and the emulator
   * setups run them.
   */
  public static BedrockEndpoint staticKeys(
      String endpoint, String region, String accessKeyId, String secretAccessKey) {
    return staticKeys(endpoint, region, accessKeyId, SecretRef.inProcess(secretAccessKey));
  }

  @Override
  public String toString() {
    return "BedrockEndpoint[endpoint="
        + endpoint
        + ", region="
        + region
        + ", credentials="
        + (accessKeyId == null
            ? "default-chain"
            : "static(" + accessKeyId + ", secret " + secretAccessKeyRef + ")")
        + "]";
  }
}
