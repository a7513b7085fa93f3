package dev.quarry.sigv4;

import java.util.Arrays;
import java.util.List;

/**
 * The parts of an {@code Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…} header.
 *
 * @param accessKeyId the access key the request claims to be signed with
 * @param date the scope's date, {@code yyyyMMdd}
 * @param region the scope's region
 * @param service the scope's signing name ({@code bedrock} for Bedrock and Bedrock Runtime)
 * @param signedHeaders lower-case header names in the order they were signed
 * @param signature the hex signature
 */
public record SigV4Authorization(
    String accessKeyId,
    String date,
    String region,
    String service,
    List<String> signedHeaders,
    String signature) {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String TERMINATOR = "aws4_request";

  public SigV4Authorization {
    signedHeaders = List.copyOf(signedHeaders);
  }

  /** The credential scope, {@code date/region/service/aws4_request}. */
  public String scope() {
    return date + "/" + region + "/" + service + "/" + TERMINATOR;
  }

  /**
   * Parses the header; a missing header, another scheme or a missing part is answered the way AWS
   * answers it (403 MissingAuthenticationToken or IncompleteSignature).
   */
  public static SigV4Authorization parse(String header) {
    if (header == null || header.isBlank()) {
      throw new SigV4Exception(
          SigV4Exception.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
    String value = header.trim();
    if (!value.startsWith(ALGORITHM + " ")) {
      throw incomplete(
          "Authorization header must use the " + ALGORITHM + " scheme: " + schemeOf(value));
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : value.substring(ALGORITHM.length()).split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = p.substring(0, eq);
      String v = p.substring(eq + 1);
      switch (name) {
        case "Credential" -> credential = v;
        case "SignedHeaders" -> signedHeaders = v;
        case "Signature" -> signature = v;
        default -> {}
      }
    }
    if (credential == null || signedHeaders == null || signature == null) {
      throw incomplete(
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
              + "parameters. Authorization="
              + value);
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !TERMINATOR.equals(scope[4]) || !scope[1].matches("[0-9]{8}")) {
      throw incomplete(
          "Credential must have the form <accessKeyId>/<yyyyMMdd>/<region>/<service>/"
              + TERMINATOR
              + ", was "
              + credential);
    }
    if (!signature.matches("[0-9a-f]{64}")) {
      throw incomplete("Signature must be 64 lower-case hex digits, was " + signature);
    }
    return new SigV4Authorization(
        scope[0], scope[1], scope[2], scope[3], Arrays.asList(signedHeaders.split(";")), signature);
  }

  private static String schemeOf(String value) {
    int space = value.indexOf(' ');
    return space < 0 ? value : value.substring(0, space);
  }

  private static SigV4Exception incomplete(String message) {
    return new SigV4Exception(SigV4Exception.INCOMPLETE_SIGNATURE, message);
  }
}
