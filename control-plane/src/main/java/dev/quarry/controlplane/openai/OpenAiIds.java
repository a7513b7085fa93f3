package dev.quarry.controlplane.openai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids of the OpenAI Batch API's objects, shaped as OpenAI's: {@code file-…} and {@code batch_…}, of
 * lower-case hex so they fit in S3 keys and Bedrock's client request tokens. A batch's output and
 * error files have ids derived from the batch's, so registering them twice makes one file.
 */
final class OpenAiIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String FILE = "file-";
  static final String BATCH = "batch_";

  private OpenAiIds() {}

  static String newFileId() {
    return FILE + random(12);
  }

  static String newBatchId() {
    return BATCH + random(16);
  }

  /** The id of the file a batch writes, one per {@code kind} ({@code output}, {@code error}). */
  static String fileOf(String batchId, String kind) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((batchId + '\n' + kind).getBytes(StandardCharsets.UTF_8));
      return FILE + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  /** The hex part of a batch id: its job's client request token. */
  static String hexOf(String batchId) {
    return batchId.substring(BATCH.length());
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
