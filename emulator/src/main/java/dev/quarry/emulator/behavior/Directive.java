package dev.quarry.emulator.behavior;

import dev.quarry.emulator.wire.ServiceError;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Per-record instructions embedded anywhere in a request body, so a test can make chosen records
 * fail every time: {@code [[emulator:fail=<status>]]} with status 400, 408, 424, 429, 500 or 503,
 * and {@code [[emulator:drop]]}.
 */
public final class Directive {
  private static final byte[] MARKER = "[[emulator:".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_DIRECTIVE_LENGTH = 64;

  private Directive() {}

  /**
   * The fault the first directive in {@code body} demands, if any. An unrecognized directive is a
   * ValidationException rather than silently ignored, so a typo in a test cannot go unnoticed.
   */
  public static Optional<Fault> find(byte[] body) {
    int start = indexOf(body, MARKER);
    if (start < 0) {
      return Optional.empty();
    }
    int from = start + MARKER.length;
    int end = -1;
    for (int i = from; i + 1 < body.length && i < from + MAX_DIRECTIVE_LENGTH; i++) {
      if (body[i] == ']' && body[i + 1] == ']') {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw ServiceError.validation(
          "Unterminated emulator directive: expected [[emulator:fail=<status>]] "
              + "or [[emulator:drop]].");
    }
    String text = new String(body, from, end - from, StandardCharsets.UTF_8).trim();
    return Optional.of(faultFor(text));
  }

  private static Fault faultFor(String text) {
    if (text.equals("drop")) {
      return Fault.DROPPED_CONNECTION;
    }
    if (text.startsWith("fail=")) {
      switch (text.substring("fail=".length()).trim()) {
        case "400":
          return Fault.VALIDATION;
        case "408":
          return Fault.MODEL_TIMEOUT;
        case "424":
          return Fault.MODEL_ERROR;
        case "429":
          return Fault.THROTTLED;
        case "500":
          return Fault.INTERNAL_SERVER_ERROR;
        case "503":
          return Fault.SERVICE_UNAVAILABLE;
        default:
          break;
      }
    }
    throw ServiceError.validation(
        "Unknown emulator directive [[emulator:"
            + text
            + "]]: expected "
            + "fail=400|408|424|429|500|503 or drop.");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      if (haystack[i] != needle[0]) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
