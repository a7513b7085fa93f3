package dev.quarry.controlplane.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An access key and the account it belongs to, as kept in a keys file. {@code allowInput} and
 * {@code allowOutput} (S3 URI prefixes) are reserved for per-key allow-lists and not enforced yet.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AccessKey(String accessKey, String secretKey, String account, List<String> allowInput,
    List<String> allowOutput) {

  public AccessKey {
    if (accessKey == null || !accessKey.matches("\\w{1,128}")) {
      throw new IllegalArgumentException("accessKey must be 1 to 128 letters, digits or '_', was " + accessKey);
    }
    if (secretKey == null || secretKey.isEmpty() || secretKey.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("secretKey of " + accessKey + " must be non-empty without whitespace");
    }
    if (account == null || !account.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("account of " + accessKey + " must be 12 digits, was " + account);
    }
    allowInput = allowInput == null ? List.of() : List.copyOf(allowInput);
    allowOutput = allowOutput == null ? List.of() : List.copyOf(allowOutput);
  }

  public AccessKey(String accessKey, String secretKey, String account) {
    this(accessKey, secretKey, account, List.of(), List.of());
  }

  @Override
  public String toString() {
    return "AccessKey[accessKey=" + accessKey + ", account=" + account + ", secretKey=***]";
  }
}
