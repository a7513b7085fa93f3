package dev.quarry.controlplane.keys;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A JSON file of access keys, {@code [{"accessKey": …, "secretKey": …, "account": …}, …]}: read
 * whole, written whole by an atomic rename, readable by its owner only.
 */
public final class KeyFile {
  /** The data directory's own key file. */
  public static final String NAME = "keys.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private KeyFile() {}

  /** The data directory's key file. */
  public static Path in(Path dataDir) {
    return dataDir.resolve(NAME);
  }

  /** The keys in {@code file}; none if it does not exist. Duplicate access keys are refused. */
  public static List<AccessKey> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<AccessKey> keys;
    try {
      keys = JSON.readValue(file.toFile(), new TypeReference<List<AccessKey>>() {});
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(file + " is not a valid key file: " + e.getMessage(), e);
    }
    Set<String> seen = new HashSet<>();
    for (AccessKey key : keys) {
      if (!seen.add(key.accessKey())) {
        throw new IOException(file + " lists access key " + key.accessKey() + " twice");
      }
    }
    return List.copyOf(keys);
  }

  /** Replaces {@code file} with {@code keys}; readers see the old or the new file, never a part. */
  public static void write(Path file, List<AccessKey> keys) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp;
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      temp =
          Files.createTempFile(
              dir,
              NAME,
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      temp = Files.createTempFile(dir, NAME, ".tmp");
    }
    try {
      JSON.writeValue(temp.toFile(), keys);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
