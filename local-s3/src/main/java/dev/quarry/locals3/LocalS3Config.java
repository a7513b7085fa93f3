package dev.quarry.locals3;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link LocalS3Server}: where it listens, where it keeps objects, which keys it accepts.
 *
 * @param host address to bind; loopback unless the stack is meant to be reached from other hosts
 * @param port TCP port, 0 for an ephemeral one
 * @param dataDir folder holding one sub-folder per bucket, or {@code null} to keep objects in memory
 * @param accessKey the only access key accepted (SigV2 or SigV4)
 * @param secretKey the secret key paired with {@code accessKey}
 * @param buckets buckets created at start if missing
 */
public record LocalS3Config(
    String host, int port, Path dataDir, String accessKey, String secretKey, List<String> buckets) {

  public static final String DEFAULT_ACCESS_KEY = "quarry";
  public static final String DEFAULT_SECRET_KEY = "quarry-secret";

  public LocalS3Config {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    buckets = List.copyOf(buckets);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with loopback, an ephemeral port, in-memory storage and the default keys. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private Path dataDir;
    private String accessKey = DEFAULT_ACCESS_KEY;
    private String secretKey = DEFAULT_SECRET_KEY;
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

    public LocalS3Config build() {
      return new LocalS3Config(host, port, dataDir, accessKey, secretKey, buckets);
    }
  }
}
