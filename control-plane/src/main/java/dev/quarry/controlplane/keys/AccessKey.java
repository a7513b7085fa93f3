package dev.quarry.controlplane.keys;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.controlplane.access.DataAccess;
import java.util.List;

/**
 * An access key, the account it belongs to and what its jobs may read ({@code allowInput}) and
 * write ({@code allowOutput}): {@code s3://} prefixes, {@code s3://} alone for every bucket, none
 * for nothing. As kept in a keys file.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AccessKey(
    String accessKey,
    String secretKey,
    String account,
    List<String> allowInput,
    List<String> allowOutput) {

  public AccessKey {
    if (accessKey == null || !accessKey.matches("\\w{1,128}")) {
      throw new IllegalArgumentException(
          "accessKey must be 1 to 128 letters, digits or '_', was " + accessKey);
    }
    if (secretKey == null
        || secretKey.isEmpty()
        || secretKey.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "secretKey of " + accessKey + " must be non-empty without whitespace");
    }
    if (account == null || !account.matches("[0-9]{12}")) {
      throw new IllegalArgumentException(
          "account of " + accessKey + " must be 12 digits, was " + account);
    }
    allowInput = allowInput == null ? List.of() : List.copyOf(allowInput);
    allowOutput = allowOutput == null ? List.of() : List.copyOf(allowOutput);
    // parsed here, so a bad prefix in a key file is refused when the file is read, not at a Create
    DataAccess.of(allowInput, allowOutput);
  }

  /** What this key's jobs may read and write. */
  @JsonIgnore
  public DataAccess dataAccess() {
    return DataAccess.of(allowInput, allowOutput);
  }

  public AccessKey(String accessKey, String secretKey, String account) {
    this(accessKey, secretKey, account, List.of(), List.of());
  }

  @Override
  public String toString() {
    return "AccessKey[accessKey=" + accessKey + ", account=" + account + ", secretKey=***]";
  }
}
