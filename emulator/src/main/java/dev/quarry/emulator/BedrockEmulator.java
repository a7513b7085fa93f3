package dev.quarry.emulator;

import dev.quarry.emulator.config.EmulatorConfig;
import dev.quarry.emulator.server.EmulatorServer;
import dev.quarry.emulator.server.EmulatorState;
import dev.quarry.emulator.server.NettyTransport;
import dev.quarry.emulator.server.RequestDispatcher;
import dev.quarry.emulator.stats.BodyDigest;
import dev.quarry.emulator.stats.StatsSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Objects;

/**
 * An embeddable AWS Bedrock Runtime emulator: an HTTP/1.1 server speaking InvokeModel and Converse
 * for the common model families, with configurable latency, quotas and faults, and counters a test
 * can read.
 *
 * <pre>{@code
 * try (BedrockEmulator emu = BedrockEmulator.builder().config(config).build().start()) {
 *     client = BedrockRuntimeClient.builder().endpointOverride(emu.endpoint())…;
 *     …
 *     assertThat(emu.stats().timesSeen(body)).isEqualTo(1);
 * }
 * }</pre>
 */
public final class BedrockEmulator implements AutoCloseable {
  private final String host;
  private final int requestedPort;
  private final EmulatorState state;
  private final EmulatorServer server;
  private volatile boolean started;

  private BedrockEmulator(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.state = new EmulatorState(b.config);
    this.server = new EmulatorServer(b.host, b.port, b.ioThreads, new RequestDispatcher(state));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts serving; returns {@code this} for chaining.
   *
   * @throws UncheckedIOException if the address cannot be bound (e.g. the port is in use)
   */
  public BedrockEmulator start() {
    try {
      server.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + host, e);
    } catch (Exception e) {
      if (e instanceof IOException io) {
        throw new UncheckedIOException(
            "cannot listen on " + host + ":" + requestedPort + ": " + io.getMessage(), io);
      }
      throw e;
    }
    started = true;
    return this;
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The host the server listens on. */
  public String host() {
    return host;
  }

  /** {@code http://host:port}, for {@code endpointOverride}. */
  public URI endpoint() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port());
  }

  /** The Netty transport in use ({@code EPOLL} on Linux when available, else {@code NIO}). */
  public NettyTransport transport() {
    return server.transport();
  }

  public boolean isRunning() {
    return started && server.isRunning();
  }

  /** The configuration in force. */
  public EmulatorConfig config() {
    return state.live().config();
  }

  /**
   * Replaces the configuration; quota buckets restart full under the new limits, counters are kept.
   */
  public void configure(EmulatorConfig config) {
    state.configure(Objects.requireNonNull(config, "config"));
  }

  /** An immutable snapshot of the counters, including per-body counts. */
  public StatsSnapshot stats() {
    return state.stats().snapshot(true);
  }

  /** How many times exactly this body (UTF-8 text) has been sent to a model operation. */
  public long timesSeen(String body) {
    return state.stats().timesSeen(BodyDigest.of(body).hex());
  }

  /** Clears all counters and refills all quota buckets; keeps the configuration. */
  public void reset() {
    state.reset();
  }

  /** Stops serving and releases the event loops. Idempotent. */
  @Override
  public void close() {
    started = false;
    server.close();
  }

  @Override
  public String toString() {
    return started ? "BedrockEmulator{" + endpoint() + "}" : "BedrockEmulator{stopped}";
  }

  /** Builder for {@link BedrockEmulator}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private EmulatorConfig config = EmulatorConfig.defaults();
    private int ioThreads = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    /** Address to listen on; loopback by default. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port to listen on; 0 (the default) picks a free ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder config(EmulatorConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Event-loop threads; defaults to the number of processors. */
    public Builder ioThreads(int ioThreads) {
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be >= 1");
      }
      this.ioThreads = ioThreads;
      return this;
    }

    /** Builds a stopped emulator; call {@link BedrockEmulator#start()}. */
    public BedrockEmulator build() {
      return new BedrockEmulator(this);
    }
  }
}
