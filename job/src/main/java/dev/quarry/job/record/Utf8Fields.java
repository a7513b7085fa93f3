package dev.quarry.job.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Text fields of records between operators, as a length and UTF-8 bytes: for the ASCII text most
 * records are, the JVM encodes and decodes such strings in bulk, where Flink's own string format
 * goes character by character.
 */
final class Utf8Fields {
  private static final int NULL = -1;

  private Utf8Fields() {}

  static void write(String text, DataOutputView out) throws IOException {
    if (text == null) {
      out.writeInt(NULL);
      return;
    }
    writeBytes(text.getBytes(StandardCharsets.UTF_8), out);
  }

  static String read(DataInputView in) throws IOException {
    byte[] bytes = readBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
    if (bytes == null) {
      out.writeInt(NULL);
      return;
    }
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static byte[] readBytes(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length == NULL) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
