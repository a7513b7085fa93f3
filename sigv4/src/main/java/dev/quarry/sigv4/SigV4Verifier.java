package dev.quarry.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's AWS Signature Version 4 as AWS does before a request reaches the service: the
 * signature is recomputed from the method, path, query, signed headers and payload with the key's
 * secret and must match, the scope must name this service (and region, when one is set), and the
 * request must be recent. Written from the SigV4 specification rather than with the SDK's signer,
 * so that a test signing with the SDK checks two independent implementations against each other.
 */
public final class SigV4Verifier {
  private static final HexFormat HEX = HexFormat.of();
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you "
          + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
          + "details.";

  private final String service;
  private final String region;
  private final SecretKeys keys;
  private final Duration maxSkew;
  private final boolean allowUnsignedPayload;

  /**
   * @param service the signing name requests must be scoped to, e.g. {@code bedrock}
   * @param region the region requests must be scoped to, or {@code null} to accept any
   * @param keys the known access keys
   * @param maxSkew how far {@code x-amz-date} may be from the time passed to {@link #verify}, or
   *     {@code null} not to check it
   * @param allowUnsignedPayload whether {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} may leave
   *     the body out of the signature (AWS allows it for S3 only)
   */
  public SigV4Verifier(
      String service,
      String region,
      SecretKeys keys,
      Duration maxSkew,
      boolean allowUnsignedPayload) {
    this.service = Objects.requireNonNull(service, "service");
    this.region = region;
    this.keys = Objects.requireNonNull(keys, "keys");
    this.maxSkew = maxSkew;
    this.allowUnsignedPayload = allowUnsignedPayload;
  }

  /**
   * Returns the request's verified authorization, or throws the 403 AWS would answer.
   *
   * @param method the HTTP method
   * @param rawUri the request target as sent (still percent-encoded), with its query
   * @param headers all values of a header by name, case-insensitively; empty if absent
   * @param body the request body as received
   * @param now the verifier's current time, for the clock-skew check
   */
  public SigV4Authorization verify(
      String method,
      String rawUri,
      Function<String, List<String>> headers,
      byte[] body,
      Instant now) {
    HeaderVerdict verdict = checkHeaders(headers, now);
    SigV4Authorization auth = verdict.auth();
    String canonicalRequest =
        canonicalRequest(method, rawUri, headers, auth.signedHeaders(), payloadHash(headers, body));
    String stringToSign =
        SigV4Authorization.ALGORITHM
            + "\n"
            + verdict.timestamp()
            + "\n"
            + auth.scope()
            + "\n"
            + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + verdict.secret()).getBytes(StandardCharsets.UTF_8), auth.date());
    key = hmac(key, auth.region());
    key = hmac(key, auth.service());
    key = hmac(key, "aws4_request");
    byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, auth.signature().getBytes(StandardCharsets.US_ASCII))) {
      throw invalid(MISMATCH);
    }
    return auth;
  }

  /**
   * Everything {@link #verify} checks that needs no body: the header's form, a known key, the
   * scope, the date and its skew, the signed headers. A server calls it before reading a body, so a
   * client without a valid key cannot make it wait for (or buffer) one.
   */
  public SigV4Authorization verifyHeaders(Function<String, List<String>> headers, Instant now) {
    return checkHeaders(headers, now).auth();
  }

  /** The header checks' outcome: what the signature check then needs. */
  private record HeaderVerdict(SigV4Authorization auth, String secret, String timestamp) {
    @Override
    public String toString() {
      return "HeaderVerdict[auth=" + auth + ", secret=***]";
    }
  }

  private HeaderVerdict checkHeaders(Function<String, List<String>> headers, Instant now) {
    List<String> authorization = headers.apply("Authorization");
    SigV4Authorization auth =
        SigV4Authorization.parse(authorization.isEmpty() ? null : authorization.get(0));
    String secret =
        keys.secretOf(auth.accessKeyId())
            .orElseThrow(
                () ->
                    new SigV4Exception(
                        SigV4Exception.UNRECOGNIZED_CLIENT,
                        "The security token included in the request is invalid."));
    if (!service.equals(auth.service())) {
      throw invalid("Credential should be scoped to correct service: '" + service + "'. ");
    }
    if (region != null && !region.equals(auth.region())) {
      throw invalid("Credential should be scoped to a valid region, not '" + auth.region() + "'. ");
    }
    List<String> amzDate = headers.apply("X-Amz-Date");
    if (amzDate.isEmpty()) {
      throw new SigV4Exception(
          SigV4Exception.INCOMPLETE_SIGNATURE,
          "Authorization header requires existence of a 'X-Amz-Date' header.");
    }
    String timestamp = amzDate.get(0).trim();
    Instant signedAt = parseAmzDate(timestamp);
    if (!timestamp.startsWith(auth.date())) {
      throw invalid(
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
              + auth.date()
              + "' != '"
              + timestamp
              + "'");
    }
    if (maxSkew != null) {
      checkSkew(timestamp, signedAt, now);
    }
    if (!auth.signedHeaders().contains("host")) {
      throw invalid("'Host' must be a signed header.");
    }
    if (!auth.signedHeaders().contains("x-amz-date")) {
      throw invalid("'X-Amz-Date' must be a signed header.");
    }
    return new HeaderVerdict(auth, secret, timestamp);
  }

  private void checkSkew(String timestamp, Instant signedAt, Instant now) {
    String minutes = maxSkew.toMinutes() + " min.";
    if (signedAt.isBefore(now.minus(maxSkew))) {
      throw invalid(
          "Signature expired: "
              + timestamp
              + " is now earlier than "
              + format(now.minus(maxSkew))
              + " ("
              + format(now)
              + " - "
              + minutes
              + ")");
    }
    if (signedAt.isAfter(now.plus(maxSkew))) {
      throw invalid(
          "Signature not yet current: "
              + timestamp
              + " is still later than "
              + format(now.plus(maxSkew))
              + " ("
              + format(now)
              + " + "
              + minutes
              + ")");
    }
  }

  // The declared x-amz-content-sha256 is what the client signed; it must also be the body's hash,
  // so
  // that a body changed on the way does not verify.
  private String payloadHash(Function<String, List<String>> headers, byte[] body) {
    String actual = HEX.formatHex(sha256(body));
    List<String> declared = headers.apply("x-amz-content-sha256");
    if (declared.isEmpty()) {
      return actual;
    }
    String value = declared.get(0).trim();
    if (UNSIGNED_PAYLOAD.equals(value)) {
      if (!allowUnsignedPayload) {
        throw invalid("UNSIGNED-PAYLOAD is not accepted by this service; sign the payload.");
      }
      return value;
    }
    if (!MessageDigest.isEqual(
        actual.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.US_ASCII))) {
      throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return value;
  }

  private static Instant parseAmzDate(String timestamp) {
    try {
      return LocalDateTime.parse(timestamp, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new SigV4Exception(
          SigV4Exception.INCOMPLETE_SIGNATURE,
          "Date must be in ISO-8601 'basic format'. Got '"
              + timestamp
              + "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }
  }

  private static String format(Instant instant) {
    return AMZ_DATE.format(instant.atOffset(ZoneOffset.UTC).withNano(0));
  }

  static String canonicalRequest(
      String method,
      String rawUri,
      Function<String, List<String>> headers,
      List<String> signedHeaders,
      String payloadHash) {
    int q = rawUri.indexOf('?');
    String path = q < 0 ? rawUri : rawUri.substring(0, q);
    String query = q < 0 ? "" : rawUri.substring(q + 1);
    StringBuilder canonical =
        new StringBuilder(256)
            .append(method)
            .append('\n')
            // Services other than S3 sign the already-encoded path encoded once more.
            .append(path.isEmpty() ? "/" : encode(path, true))
            .append('\n')
            .append(canonicalQuery(query))
            .append('\n');
    for (String name : signedHeaders) {
      canonical.append(name).append(':').append(canonicalValue(headers.apply(name))).append('\n');
    }
    canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
    canonical.append(payloadHash);
    return canonical.toString();
  }

  private static String canonicalQuery(String query) {
    if (query.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      pairs.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>(pairs.size());
    for (String[] p : pairs) {
      joined.add(p[0] + "=" + p[1]);
    }
    return String.join("&", joined);
  }

  // Values trimmed, inner runs of spaces collapsed, repeated headers joined with commas.
  private static String canonicalValue(List<String> values) {
    List<String> trimmed = new ArrayList<>(values.size());
    for (String v : values) {
      trimmed.add(v.trim().replaceAll(" +", " "));
    }
    return String.join(",", trimmed);
  }

  // RFC 3986 percent-encoding of everything but unreserved characters (and '/' in a path).
  static String encode(String s, boolean keepSlash) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      boolean unreserved =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '~'
              || (keepSlash && c == '/');
      if (unreserved) {
        out.append(c);
      } else {
        out.append('%').append(HEX.withUpperCase().toHexDigits((byte) c));
      }
    }
    return out.toString();
  }

  // %XX escapes as UTF-8, '+' left alone (a literal plus outside forms); malformed escapes kept
  // verbatim.
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    ByteArrayOutputStream escaped = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '%'
          && i + 2 < s.length()
          && Character.digit(s.charAt(i + 1), 16) >= 0
          && Character.digit(s.charAt(i + 2), 16) >= 0) {
        escaped.write(
            (Character.digit(s.charAt(i + 1), 16) << 4) | Character.digit(s.charAt(i + 2), 16));
        i += 3;
        continue;
      }
      out.append(escaped.toString(StandardCharsets.UTF_8));
      escaped.reset();
      out.append(c);
      i++;
    }
    out.append(escaped.toString(StandardCharsets.UTF_8));
    return out.toString();
  }

  private static SigV4Exception invalid(String message) {
    return new SigV4Exception(SigV4Exception.INVALID_SIGNATURE, message);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
