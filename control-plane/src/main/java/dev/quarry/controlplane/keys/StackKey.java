package dev.quarry.controlplane.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one key of the local stack ({@code scripts/quarry serve}) on a data directory, for its API,
 * its local S3 and its emulator: the first key of the directory's key file.
 *
 * <p>Here rather than in the local stack because {@code scripts/flink-cluster start --keys-from
 * DIR} gives a Flink cluster the same pair through {@code scripts/quarry keys show-s3}, possibly
 * before the stack ever ran on that directory.
 */
public final class StackKey {
  private StackKey() {}

  /**
   * The data directory's first key, or on first use a new random one of {@code account} stored
   * there (readable by its owner only).
   */
  public static AccessKey of(Path dataDir, String account) throws IOException {
    Files.createDirectories(dataDir);
    Path file = KeyFile.in(dataDir);
    List<AccessKey> keys = KeyFile.read(file);
    if (!keys.isEmpty()) {
      return keys.get(0);
    }
    // the stack's one key may use every bucket, as the one person running it can
    AccessKey key = new KeyGenerator().generate(account, List.of("s3://"), List.of("s3://"));
    KeyFile.write(file, List.of(key));
    return key;
  }
}
