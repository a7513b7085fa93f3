package dev.quarry.controlplane.api;

import dev.quarry.sigv4.SecretKeys;
import dev.quarry.sigv4.SigV4Authorization;
import dev.quarry.sigv4.SigV4Exception;
import dev.quarry.sigv4.SigV4Verifier;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.server.Request;

/**
 * Checks a request's AWS Signature Version 4 as AWS checks it before routing: scoped to {@code
 * bedrock} in this region, signed by a known key, at most five minutes from this clock, over the
 * request exactly as it arrived.
 */
final class RequestSignatures {
  /** Bedrock's signing name, for the control plane as for the runtime. */
  static final String SERVICE = "bedrock";

  /** The clock skew AWS tolerates. */
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final SigV4Verifier verifier;
  private final Clock clock;

  RequestSignatures(String region, SecretKeys keys, Clock clock) {
    // Bedrock, unlike S3, does not take UNSIGNED-PAYLOAD: the body is always part of the signature.
    this.verifier = new SigV4Verifier(SERVICE, region, keys, MAX_SKEW, false);
    this.clock = clock;
  }

  /** The 403 AWS would answer for what the headers alone show (no key, unknown key, expired). */
  void verifyHeaders(Request request) {
    try {
      verifier.verifyHeaders(name -> request.getHeaders().getValuesList(name), clock.instant());
    } catch (SigV4Exception e) {
      throw new ApiException(e.status(), e.errorCode(), e.getMessage());
    }
  }

  /** The verified authorization, or the 403 AWS would answer. */
  SigV4Authorization verify(Request request, byte[] body) {
    String path = request.getHttpURI().getPath();
    String query = request.getHttpURI().getQuery();
    String rawUri = (path == null ? "/" : path) + (query == null ? "" : "?" + query);
    try {
      return verifier.verify(
          request.getMethod(),
          rawUri,
          name -> request.getHeaders().getValuesList(name),
          body,
          clock.instant());
    } catch (SigV4Exception e) {
      throw new ApiException(e.status(), e.errorCode(), e.getMessage());
    }
  }
}
