package dev.quarry.controlplane.console;

import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-ins, kept on the server (the cookie holds only a random id): a session ends
 * when it expires, when it is signed out, or when its key is no longer in the key files.
 */
final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyStore keys;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Session> byId = new ConcurrentHashMap<>();

  Sessions(KeyStore keys, Clock clock, Duration ttl) {
    this.keys = keys;
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * A new session if {@code secret} is the secret of {@code accessKeyId}; empty for anything else.
   */
  Optional<Session> signIn(String accessKeyId, String secret) {
    if (accessKeyId == null || secret == null) {
      return Optional.empty();
    }
    Optional<AccessKey> key = keys.find(accessKeyId);
    // compared in constant time, and compared even for an unknown key, so timing tells nothing
    byte[] expected =
        key.map(k -> k.secretKey())
            .orElse("no key has this secret")
            .getBytes(StandardCharsets.UTF_8);
    boolean matches = MessageDigest.isEqual(expected, secret.getBytes(StandardCharsets.UTF_8));
    if (key.isEmpty() || !matches) {
      return Optional.empty();
    }
    dropExpired();
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    Session session =
        new Session(
            Base64.getUrlEncoder().withoutPadding().encodeToString(id),
            accessKeyId,
            clock.instant().plus(ttl));
    byId.put(session.id(), session);
    return Optional.of(session);
  }

  /**
   * The key of a live session with this id; an expired session, or one of a revoked key, is ended.
   */
  Optional<AccessKey> keyOf(String sessionId) {
    if (sessionId == null) {
      return Optional.empty();
    }
    Session session = byId.get(sessionId);
    if (session == null) {
      return Optional.empty();
    }
    Optional<AccessKey> key = keys.find(session.accessKeyId());
    if (!clock.instant().isBefore(session.expiresAt()) || key.isEmpty()) {
      byId.remove(sessionId);
      return Optional.empty();
    }
    return key;
  }

  void signOut(String sessionId) {
    if (sessionId != null) {
      byId.remove(sessionId);
    }
  }

  Duration ttl() {
    return ttl;
  }

  private void dropExpired() {
    byId.values().removeIf(s -> !clock.instant().isBefore(s.expiresAt()));
  }
}
