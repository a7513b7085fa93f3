package dev.quarry.controlplane.access;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The account that owns each bucket, where it is not the caller's: {@code s3BucketOwner} in a
 * Create request is Bedrock's guard against writing to a bucket someone else took over, so it must
 * name the configured owner (or, for buckets not listed, the caller's own account).
 */
public record BucketOwners(Map<String, String> owners) {
  public BucketOwners {
    owners = Map.copyOf(owners);
    owners.forEach(
        (bucket, account) -> {
          if (bucket.isEmpty() || !account.matches("[0-9]{12}")) {
            throw new IllegalArgumentException(
                "quarry.access.bucket-owners entries are bucket=12-digit account, was "
                    + bucket
                    + "="
                    + account);
          }
        });
  }

  /** Parses {@code bucket=account,bucket=account} (blank for none). */
  public static BucketOwners parse(String text) {
    Map<String, String> owners = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "quarry.access.bucket-owners entries are bucket=account, was " + entry);
      }
      owners.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return new BucketOwners(owners);
  }

  /** The owner of {@code bucket}, if configured. */
  public Optional<String> ownerOf(String bucket) {
    return Optional.ofNullable(owners.get(bucket));
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    owners.forEach(
        (b, a) -> out.append(out.length() == 0 ? "" : ",").append(b).append('=').append(a));
    return out.toString();
  }
}
