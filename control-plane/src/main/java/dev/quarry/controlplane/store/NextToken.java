package dev.quarry.controlplane.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The opaque {@code nextToken} of a job listing: the last key of a page, (submit time, job id),
 * plus a fingerprint of the filters and sort order it was issued for.
 *
 * <p>A key instead of an offset: jobs created while a client pages through a listing shift offsets,
 * which would make the client skip or repeat jobs; a key does not move.
 */
record NextToken(long submitTimeMillis, String jobId) {
  private static final String VERSION = "v1";

  /** The token for this key under the query's filters. */
  String encode(JobQuery query) {
    String plain = VERSION + "|" + submitTimeMillis + "|" + jobId + "|" + fingerprint(query);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key in the query's token; throws {@link InvalidNextTokenException} if the token is not one
   * of ours for these filters.
   */
  static NextToken decode(JobQuery query) {
    String plain;
    try {
      plain = new String(Base64.getUrlDecoder().decode(query.nextToken()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String[] parts = plain.split("\\|", -1);
    if (parts.length != 4 || !VERSION.equals(parts[0]) || !parts[2].matches("[a-z0-9]{12}")) {
      throw invalid();
    }
    long submitTimeMillis;
    try {
      submitTimeMillis = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
    if (!fingerprint(query).equals(parts[3])) {
      throw new InvalidNextTokenException(
          "The nextToken was issued for other filters or another sort order; repeat the request that returned it.");
    }
    return new NextToken(submitTimeMillis, parts[2]);
  }

  private static InvalidNextTokenException invalid() {
    return new InvalidNextTokenException("The nextToken is not valid.");
  }

  /**
   * A digest of everything that selects and orders the jobs (not the page size, which may change
   * between pages).
   */
  private static String fingerprint(JobQuery query) {
    String filters =
        String.join(
            "\u0000",
            part(query.accountId()),
            part(query.submitTimeAfter() == null ? null : query.submitTimeAfter().toEpochMilli()),
            part(query.submitTimeBefore() == null ? null : query.submitTimeBefore().toEpochMilli()),
            part(query.statusEquals()),
            part(query.nameContains()),
            part(query.sortOrder()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(filters.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** An unset filter and a filter set to the text "null" must differ. */
  private static String part(Object value) {
    return value == null ? "-" : "=" + value;
  }
}
