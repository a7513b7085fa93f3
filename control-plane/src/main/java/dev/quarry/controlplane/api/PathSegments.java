package dev.quarry.controlplane.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw request path into percent-decoded segments. SDKs encode {@code /} in labels as
 * {@code %2F} (a job ARN has one), so splitting must happen before decoding; and {@code +} in a
 * path is a plus, not a space, so {@code URLDecoder} is not the tool.
 */
final class PathSegments {
  private PathSegments() {}

  static List<String> of(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/", -1)) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw));
      }
    }
    return segments;
  }

  static String decode(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw ApiException.validation(
              "Path segment '" + raw + "' is not correctly percent-encoded");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c == '%') {
        throw ApiException.validation(
            "Path segment '" + raw + "' is not correctly percent-encoded");
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
