package dev.quarry.controlplane.keys;

import dev.quarry.sigv4.SecretKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access keys the API accepts, from the data directory's key file and an optional extra one (a
 * Kubernetes Secret, say). A file that changes is read again: its attributes are looked at no more
 * than once a second, on a lookup, so a created or revoked key counts within about a second. A file
 * that no longer parses keeps its previous keys (and is logged), rather than locking everyone out
 * mid-edit.
 */
public final class KeyStore implements SecretKeys {
  private static final Logger LOG = LoggerFactory.getLogger(KeyStore.class);
  private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;

  private final List<Source> sources;
  private volatile Map<String, AccessKey> keys;

  /** The keys by the {@link ApiKeys#fingerprint} of their API key. */
  private volatile Map<String, AccessKey> byApiKey;

  private volatile long checkedAt;

  /** Reads {@code files} now; they need not exist yet. */
  public KeyStore(List<Path> files) {
    List<Source> list = new ArrayList<>();
    for (Path file : files) {
      list.add(new Source(file));
    }
    this.sources = List.copyOf(list);
    this.checkedAt = System.nanoTime();
    refresh(true);
  }

  /** The key with this access key id, if any file lists it. */
  public Optional<AccessKey> find(String accessKeyId) {
    if (System.nanoTime() - checkedAt >= CHECK_INTERVAL_NANOS) {
      refresh(false);
    }
    return Optional.ofNullable(keys.get(accessKeyId));
  }

  /**
   * The key an OpenAI API key ({@link ApiKeys}) belongs to, if any file lists it. Found by the
   * SHA-256 of the token, so no comparison runs on the token's own characters.
   */
  public Optional<AccessKey> findByApiKey(String apiKey) {
    if (System.nanoTime() - checkedAt >= CHECK_INTERVAL_NANOS) {
      refresh(false);
    }
    if (apiKey == null || !apiKey.startsWith(ApiKeys.PREFIX)) {
      return Optional.empty();
    }
    return Optional.ofNullable(byApiKey.get(ApiKeys.fingerprint(apiKey)));
  }

  @Override
  public Optional<String> secretOf(String accessKeyId) {
    return find(accessKeyId).map(AccessKey::secretKey);
  }

  /** How many keys are known now. */
  public int size() {
    return keys.size();
  }

  private synchronized void refresh(boolean force) {
    if (!force && System.nanoTime() - checkedAt < CHECK_INTERVAL_NANOS) {
      return;
    }
    boolean changed = force;
    for (Source source : sources) {
      changed |= source.reloadIfChanged();
    }
    if (changed) {
      Map<String, AccessKey> all = new HashMap<>();
      for (Source source : sources) {
        for (AccessKey key : source.keys) {
          AccessKey before = all.putIfAbsent(key.accessKey(), key);
          if (before != null) {
            LOG.warn(
                "Access key {} is in more than one key file; the first one ({}) counts",
                key.accessKey(),
                sources.get(0).file);
          }
        }
      }
      Map<String, AccessKey> apiKeys = new HashMap<>();
      all.values().forEach(key -> apiKeys.put(ApiKeys.fingerprint(ApiKeys.of(key)), key));
      byApiKey = Map.copyOf(apiKeys);
      keys = Map.copyOf(all);
    }
    checkedAt = System.nanoTime();
  }

  /** One file and what it held when last read. */
  private static final class Source {
    final Path file;
    Object version;
    List<AccessKey> keys = List.of();

    Source(Path file) {
      this.file = file;
    }

    // Modification time, size and file identity: an atomic replace (or a Secret's symlink swap)
    // changes the identity even within one timestamp tick.
    boolean reloadIfChanged() {
      Object now;
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        now =
            List.of(
                attributes.lastModifiedTime(),
                attributes.size(),
                Objects.requireNonNullElse(attributes.fileKey(), ""));
      } catch (NoSuchFileException e) {
        now = "absent";
      } catch (IOException e) {
        LOG.warn("Cannot look at key file {}; keeping its previous keys", file, e);
        return false;
      }
      if (now.equals(version)) {
        return false;
      }
      version = now;
      try {
        keys = KeyFile.read(file);
        LOG.info("Read {} access key(s) from {}", keys.size(), file);
        return true;
      } catch (IOException e) {
        LOG.warn("Cannot read key file {}; keeping its previous keys: {}", file, e.getMessage());
        return false;
      }
    }
  }
}
