package dev.quarry.job.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where and as whom the job calls Bedrock Runtime.
 *
 * @param endpoint endpoint override (the emulator, a VPC endpoint), or {@code null} for the regional default
 * @param region AWS region, e.g. {@code us-east-1}
 * @param accessKeyId static access key, or {@code null} to use the AWS default credential chain
 * @param secretAccessKey secret paired with {@code accessKeyId}
 * @param sessionToken optional session token for temporary static credentials
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BedrockEndpoint(
    String endpoint, String region, String accessKeyId, String secretAccessKey, String sessionToken)
    implements Serializable {

  public BedrockEndpoint {
    Objects.requireNonNull(region, "region");
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException("accessKeyId and secretAccessKey go together");
    }
  }

  /** The regional endpoint with the default credential chain. */
  public static BedrockEndpoint defaultChain(String region) {
    return new BedrockEndpoint(null, region, null, null, null);
  }

  /** An explicit endpoint with static keys, as used for the emulator. */
  public static BedrockEndpoint staticKeys(String endpoint, String region, String accessKeyId, String secretAccessKey) {
    return new BedrockEndpoint(endpoint, region, accessKeyId, secretAccessKey, null);
  }

  @Override
  public String toString() {
    // Secrets never reach logs.
    return "BedrockEndpoint[endpoint=" + endpoint + ", region=" + region
        + ", credentials=" + (accessKeyId == null ? "default-chain" : "static(" + accessKeyId + ")") + "]";
  }
}
