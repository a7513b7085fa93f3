package dev.quarry.controlplane.metrics;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.job.secret.SecretRef;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read {@code /metrics} ({@link ControlPlaneConfig.Metrics}): a loopback peer as it is
 * (when open on loopback), anyone else only with the configured bearer token. The peer is the TCP
 * connection's, never a forwarded header a client could write.
 */
final class ScrapeAccess {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeAccess.class);
  private static final String BEARER = "Bearer ";

  private final boolean openOnLoopback;
  private final SecretRef tokenRef;

  ScrapeAccess(ControlPlaneConfig.Metrics settings) {
    this.openOnLoopback = settings.openOnLoopback();
    this.tokenRef = settings.bearerTokenRef();
    if (tokenRef != null) {
      token(); // a reference that cannot be read is said at start, not at the first scrape
    }
  }

  /** Why the request may not scrape, or empty when it may. */
  Optional<Refusal> refusal(InetAddress peer, String authorization) {
    if (openOnLoopback && peer != null && peer.isLoopbackAddress()) {
      return Optional.empty();
    }
    if (tokenRef == null) {
      return Optional.of(
          new Refusal(
              403,
              "Metrics are served to loopback only: set quarry.metrics.bearer-token-ref to scrape"
                  + " from elsewhere"));
    }
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.of(new Refusal(401, "Metrics need Authorization: Bearer <token>"));
    }
    byte[] given =
        authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
    byte[] expected;
    try {
      expected = token().getBytes(StandardCharsets.UTF_8);
    } catch (IllegalStateException e) {
      LOG.warn("Refusing a metrics scrape: {}", e.getMessage());
      return Optional.of(new Refusal(401, "The metrics token cannot be read on this server"));
    }
    // constant time, so the answer's timing tells nothing about how much of a guess was right
    if (expected.length == 0 || !MessageDigest.isEqual(given, expected)) {
      return Optional.of(new Refusal(401, "Wrong metrics token"));
    }
    return Optional.empty();
  }

  private String token() {
    String token = tokenRef.resolve().strip();
    if (token.isEmpty()) {
      throw new IllegalStateException("the metrics token " + tokenRef + " is empty");
    }
    return token;
  }

  /** A refused scrape: its HTTP status and what to tell the client. */
  record Refusal(int status, String message) {}
}
