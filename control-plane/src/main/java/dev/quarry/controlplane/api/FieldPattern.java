package dev.quarry.controlplane.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A member's pattern: the Smithy text that error messages quote (as AWS does), and the expression
 * that actually checks a value. The two accept exactly the same strings; the checking one is
 * written with possessive quantifiers where the Smithy text would backtrack exponentially (e.g. a
 * 63-character {@code jobName} of dashes), so that no request field costs more than linear time.
 *
 * @param smithy the pattern as Bedrock's model prints it (unanchored), quoted in messages
 * @param checked the equivalent expression that is matched against whole values
 */
public record FieldPattern(String smithy, Pattern checked) {
  public FieldPattern {
    Objects.requireNonNull(smithy, "smithy");
    Objects.requireNonNull(checked, "checked");
  }

  /** A pattern whose Smithy text is already safe to match as it is. */
  static FieldPattern of(String smithy) {
    return new FieldPattern(smithy, Pattern.compile(smithy));
  }

  /**
   * A pattern checked by {@code equivalent}, which must accept exactly what {@code smithy} accepts.
   */
  static FieldPattern of(String smithy, String equivalent) {
    return new FieldPattern(smithy, Pattern.compile(equivalent));
  }

  /** Whether the whole value matches (Smithy patterns are anchored). */
  public boolean matches(String value) {
    return checked.matcher(value).matches();
  }
}
