package dev.quarry.locals3;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link LocalS3Server}: where it listens, where it keeps objects, which keys it
 * accepts.
 *
 * @param host address to bind; loopback unless the stack is meant to be reached from other hosts
 * @param port TCP port, 0 for an ephemeral one
 * @param dataDir folder holding one sub-folder per bucket, or {@code null} to keep objects in
 *     memory
 * @param accessKey the only access key accepted (SigV2 or SigV4)
 * @param secretKey the secret key paired with {@code accessKey}
 * @param buckets buckets created at start if missing
 */
public record LocalS3Config(
    String host, int port, Path dataDir, String accessKey, String secretKey, List<String> buckets) {

  public LocalS3Config {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    if (accessKey.isBlank() || secretKey.isBlank()) {
      throw new IllegalArgumentException("the access key and the secret key must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    buckets = List.copyOf(buckets);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder with loopback, an ephemeral port, in-memory storage and, unless {@link #credentials}
   * says otherwise, a new random key pair: no secret is fixed in code, so a caller reads the pair
   * from the running server's {@link LocalS3Server#config()}.
   */
  public static final class Builder {
    private static final String ACCESS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private String host = "127.0.0.1";
    private int port = 0;
    private Path dataDir;
    private String accessKey;
    private String secretKey;
    private List<String> buckets = List.of();

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder credentials(String accessKey, String secretKey) {
      this.accessKey = accessKey;
      this.secretKey = secretKey;
      return this;
    }

    public Builder buckets(String... buckets) {
      this.buckets = List.of(buckets);
      return this;
    }

    /**
     * The settings; each call without {@link #credentials} draws a new random pair, shaped like
     * AWS's.
     */
    public LocalS3Config build() {
      if (accessKey == null && secretKey == null) {
        return new LocalS3Config(
            host,
            port,
            dataDir,
            "AKIA" + draw(ACCESS_ALPHABET, 16),
            draw(SECRET_ALPHABET, 40),
            buckets);
      }
      return new LocalS3Config(host, port, dataDir, accessKey, secretKey, buckets);
    }

    private static String draw(String alphabet, int length) {
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
      }
      return out.toString();
    }
  }
}
