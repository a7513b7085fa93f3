package dev.quarry.emulator.bench;

import dev.quarry.emulator.server.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal closed-loop HTTP/1.1 load client: a fixed number of keep-alive connections, each
 * keeping {@code depth} requests outstanding (1 = one at a time, more = pipelined), sending the
 * next as soon as a response arrives. Costs far less per request than a full SDK, so it measures
 * the server rather than itself.
 */
final class NettyLoadClient {
  private static final String FAKE_AUTHORIZATION =
      "AWS4-HMAC-SHA256 Credential=AKIAEMULATOR/20250101/us-east-1/"
          + "bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="
          + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private final URI endpoint;
  private final int threads;

  NettyLoadClient(URI endpoint, int threads) {
    this.endpoint = endpoint;
    this.threads = threads;
  }

  BenchmarkResult run(
      int connections, int depth, Duration warmup, Duration measured, List<byte[]> bodies)
      throws InterruptedException {
    String path = "/model/" + BenchmarkBodies.MODEL_ID.replace(":", "%3A") + "/invoke";
    String host = endpoint.getHost() + ":" + endpoint.getPort();
    LoadPhase phase = new LoadPhase();
    List<LatencyRecorder> lanes = new ArrayList<>();
    NettyTransport transport = NettyTransport.best();
    EventLoopGroup group = transport.newGroup(threads, "bench-client");
    try {
      Bootstrap bootstrap =
          new Bootstrap()
              .group(group)
              .channel(transport.clientChannel())
              .option(ChannelOption.TCP_NODELAY, true);
      List<Channel> channels = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        LatencyRecorder lane = new LatencyRecorder();
        lanes.add(lane);
        int offset = i * 7919;
        bootstrap.handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec());
                ch.pipeline().addLast(new HttpObjectAggregator(1 << 20));
                ch.pipeline().addLast(new Lane(phase, lane, depth, bodies, offset, path, host));
              }
            });
        channels.add(bootstrap.connect(endpoint.getHost(), endpoint.getPort()).sync().channel());
      }
      Thread.sleep(warmup.toMillis());
      phase.recording = true;
      long cpuStart = ProcessCpu.nanos();
      long start = System.nanoTime();
      Thread.sleep(measured.toMillis());
      phase.recording = false;
      double seconds = (System.nanoTime() - start) / 1e9;
      long cpu = cpuStart < 0 ? -1 : ProcessCpu.nanos() - cpuStart;
      phase.running = false;
      for (Channel channel : channels) {
        channel.close().await(2, TimeUnit.SECONDS);
      }
      long[] sorted = LatencyRecorder.mergeSorted(lanes);
      return new BenchmarkResult(
          "netty keep-alive (raw)",
          connections,
          depth,
          phase.completed.sum(),
          phase.errors.sum(),
          seconds,
          sorted,
          cpu);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Shared switches and counters of one run. */
  static final class LoadPhase {
    volatile boolean running = true;
    volatile boolean recording;
    final LongAdder completed = new LongAdder();
    final LongAdder errors = new LongAdder();
  }

  /** One connection's closed loop. */
  private static final class Lane extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final LoadPhase phase;
    private final LatencyRecorder recorder;
    private final int depth;
    private final List<byte[]> bodies;
    private final String path;
    private final String host;
    private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
    private int next;

    Lane(
        LoadPhase phase,
        LatencyRecorder recorder,
        int depth,
        List<byte[]> bodies,
        int offset,
        String path,
        String host) {
      this.phase = phase;
      this.recorder = recorder;
      this.depth = depth;
      this.bodies = bodies;
      this.next = offset;
      this.path = path;
      this.host = host;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      for (int i = 0; i < depth; i++) {
        send(ctx);
      }
      ctx.flush();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      long now = System.nanoTime();
      Long sent = sentAt.poll();
      if (phase.recording && sent != null) {
        recorder.record(now - sent);
        phase.completed.increment();
        if (!HttpResponseStatus.OK.equals(response.status())) {
          phase.errors.increment();
        }
      }
      if (phase.running) {
        send(ctx);
        ctx.flush();
      }
    }

    private void send(ChannelHandlerContext ctx) {
      byte[] body = bodies.get(Math.floorMod(next++, bodies.size()));
      FullHttpRequest request =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
      HttpHeaders headers = request.headers();
      headers.set(HttpHeaderNames.HOST, host);
      headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      headers.set(HttpHeaderNames.ACCEPT, "application/json");
      headers.set("X-Amz-Date", "20250101T000000Z");
      headers.set(HttpHeaderNames.AUTHORIZATION, FAKE_AUTHORIZATION);
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      sentAt.add(System.nanoTime());
      ctx.write(request);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      phase.errors.increment();
      ctx.close();
    }
  }
}
