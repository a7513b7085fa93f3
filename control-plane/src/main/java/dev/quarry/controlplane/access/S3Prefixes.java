package dev.quarry.controlplane.access;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A list of allowed {@code s3://bucket/key…} prefixes, as a key's {@code allowInput} or {@code
 * allowOutput} holds them: {@code s3://} alone allows every bucket, {@code s3://bucket} the whole
 * bucket, an empty list nothing. Matching is by text, as IAM matches resource prefixes.
 *
 * <p>A URI is allowed only when both its text as given and its normalised form ({@code //}, {@code
 * .} and {@code ..} resolved) start with one prefix: S3 keys are literal, so {@code
 * allowed/../secret} is an object under {@code allowed/} to S3 but {@code secret} to a reader that
 * normalises, and the job must not be able to read either one outside the list.
 */
public record S3Prefixes(List<String> prefixes) {
  static final String SCHEME = "s3://";

  public S3Prefixes {
    prefixes = List.copyOf(prefixes);
    for (String p : prefixes) {
      if (p == null || !p.startsWith(SCHEME)) {
        throw new IllegalArgumentException("An allowed prefix is an s3:// URI prefix, was " + p);
      }
    }
  }

  /** Whether {@code uri} lies under one of the prefixes, literally and once normalised. */
  public boolean allows(String uri) {
    if (!uri.startsWith(SCHEME)) {
      return false;
    }
    String literal = withBucketSlash(uri);
    String normal = normalize(uri);
    for (String prefix : prefixes) {
      if (prefix.equals(SCHEME)) {
        return true;
      }
      String p = withBucketSlash(prefix);
      if (literal.startsWith(p) && normal != null && normal.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return prefixes.isEmpty();
  }

  /**
   * {@code s3://bucket/key} with the empty, {@code .} and {@code ..} segments of the key resolved
   * and a trailing {@code /} kept; {@code null} when a {@code ..} climbs above the bucket.
   */
  static String normalize(String uri) {
    String whole = withBucketSlash(uri);
    int slash = whole.indexOf('/', SCHEME.length());
    String key = whole.substring(slash + 1);
    Deque<String> kept = new ArrayDeque<>();
    String[] segments = key.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (kept.isEmpty()) {
          return null;
        }
        kept.removeLast();
      } else {
        kept.addLast(segment);
      }
    }
    String last = segments[segments.length - 1];
    boolean folder = last.isEmpty() || last.equals(".") || last.equals("..");
    String joined = String.join("/", kept);
    return whole.substring(0, slash + 1) + joined + (folder && !joined.isEmpty() ? "/" : "");
  }

  /**
   * {@code s3://bucket} means the bucket's root, {@code s3://bucket/}, never {@code
   * s3://bucket-2/}.
   */
  private static String withBucketSlash(String uri) {
    return uri.indexOf('/', SCHEME.length()) < 0 ? uri + "/" : uri;
  }
}
