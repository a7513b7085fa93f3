package dev.quarry.emulator.wire;

/** Header names Bedrock Runtime uses on the wire (spec §2 and §3). */
public final class BedrockHeaders {
  public static final String REQUEST_ID = "x-amzn-RequestId";
  public static final String ERROR_TYPE = "x-amzn-ErrorType";
  public static final String INVOCATION_LATENCY = "X-Amzn-Bedrock-Invocation-Latency";
  public static final String INPUT_TOKEN_COUNT = "X-Amzn-Bedrock-Input-Token-Count";
  public static final String OUTPUT_TOKEN_COUNT = "X-Amzn-Bedrock-Output-Token-Count";

  /**
   * Sent when a prompt cache was read; the name is the one clients parse (spec §3, no AWS doc
   * found).
   */
  public static final String CACHE_READ_INPUT_TOKEN_COUNT =
      "X-Amzn-Bedrock-Cache-Read-Input-Token-Count";

  /** Sent when a prompt cache was written; see {@link #CACHE_READ_INPUT_TOKEN_COUNT}. */
  public static final String CACHE_WRITE_INPUT_TOKEN_COUNT =
      "X-Amzn-Bedrock-Cache-Write-Input-Token-Count";

  public static final String APPLICATION_JSON = "application/json";

  private BedrockHeaders() {}
}
