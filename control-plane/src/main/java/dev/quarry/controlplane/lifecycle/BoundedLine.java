package dev.quarry.controlplane.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line of a JSONL input read byte by byte, kept up to a limit: whether it went past the limit,
 * whether it is blank, and its text. Validation reads Bedrock inputs and OpenAI batch inputs this
 * way, so a line over the limit is judged without holding it whole. Reused line after line.
 */
public final class BoundedLine {
  private final int max;
  private byte[] bytes = new byte[4096];
  private int length;
  private boolean truncated;
  private boolean blank;

  /** Keeps at most {@code max} bytes of each line. */
  public BoundedLine(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("a line keeps at least 1 byte, was " + max);
    }
    this.max = max;
  }

  /** Reads the next line (up to {@code \n}, which it drops): false at the end of {@code in}. */
  public boolean readFrom(InputStream in) throws IOException {
    length = 0;
    truncated = false;
    blank = true;
    boolean any = false;
    int b;
    while ((b = in.read()) >= 0) {
      any = true;
      if (b == '\n') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\r') {
        blank = false;
      }
      if (length < max) {
        if (length == bytes.length) {
          bytes = Arrays.copyOf(bytes, Math.min(max, bytes.length * 2));
        }
        bytes[length++] = (byte) b;
      } else {
        truncated = true;
      }
    }
    return any;
  }

  /** Whether the line holds only spaces, tabs and carriage returns. */
  public boolean isBlank() {
    return blank;
  }

  /** Whether the line was longer than the limit (and only its first bytes are kept). */
  public boolean truncated() {
    return truncated;
  }

  /**
   * The line as text, without the byte-order mark a file's first line may start with.
   *
   * @throws CharacterCodingException when the bytes are not UTF-8
   */
  public String text(boolean firstLine) throws CharacterCodingException {
    int start =
        firstLine
                && length >= 3
                && (bytes[0] & 0xff) == 0xEF
                && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF
            ? 3
            : 0;
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes, start, length - start))
        .toString();
  }
}
