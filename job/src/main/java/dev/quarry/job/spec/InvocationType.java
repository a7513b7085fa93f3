package dev.quarry.job.spec;

/** Which Bedrock Runtime operation a job calls for each record. */
public enum InvocationType {
  /** {@code InvokeModel}: {@code modelInput} is the model's native request body. */
  INVOKE_MODEL("InvokeModel"),
  /** {@code Converse}: {@code modelInput} is a Converse request body. */
  CONVERSE("Converse");

  private final String wireName;

  InvocationType(String wireName) {
    this.wireName = wireName;
  }

  /** The value used on the Bedrock wire ({@code modelInvocationType}). */
  public String wireName() {
    return wireName;
  }

  /** Parses the wire value; {@code null} means the Bedrock default, {@code InvokeModel}. */
  public static InvocationType fromWireName(String value) {
    if (value == null) {
      return INVOKE_MODEL;
    }
    for (InvocationType type : values()) {
      if (type.wireName.equals(value) || type.name().equals(value)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "modelInvocationType must be InvokeModel or Converse, was " + value);
  }
}
