package dev.quarry.emulator.server;

import dev.quarry.emulator.family.Completion;
import dev.quarry.emulator.wire.ServiceError;

/**
 * How one API answers on the wire: Bedrock Runtime's (AWS error shape, token-count headers) or
 * OpenAI's ({@code {"error":{…}}}, usage in the body). Everything before the answer (quotas,
 * faults, latency, stats) is the same for both.
 */
public interface WireDialect {
  /** The reply for an error, whether from validation, a quota or an injected fault. */
  Reply error(ServiceError error);

  /** The 200 reply carrying {@code body}, the rendered answer to {@code completion}. */
  Reply ok(byte[] body, Completion completion);
}
