package dev.quarry.emulator.server;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.wire.ServiceError;
import java.nio.charset.StandardCharsets;

/**
 * The emulator's own endpoints under {@code /_emulator/}: stats, reset, replacing the config, and a
 * health check, so scripts and other processes can do over HTTP what tests do through the Java API.
 */
public final class AdminEndpoints {
  private final EmulatorState state;

  public AdminEndpoints(EmulatorState state) {
    this.state = state;
  }

  /** {@code GET /_emulator/stats[?bodies=true]}. */
  public Reply stats(Route route) {
    return Reply.ok(state.stats().snapshot(route.queryFlag("bodies")).toJson());
  }

  /** {@code POST /_emulator/reset}: clears counters and refills quota buckets. */
  public Reply reset() {
    state.reset();
    return Reply.ok("{\"reset\":true}");
  }

  /** {@code POST /_emulator/config} with a config JSON body: replaces the configuration. */
  public Reply configure(byte[] body) {
    EmulatorConfig config;
    try {
      config = EmulatorConfig.parse(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Reply.error(ServiceError.validation("Invalid emulator config: " + e.getMessage()));
    }
    state.configure(config);
    return Reply.ok("{\"configured\":true}");
  }

  /** {@code GET /_emulator/health}. */
  public Reply health() {
    return Reply.ok("{\"status\":\"ok\"}");
  }
}
