package dev.quarry.emulator.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The Netty HTTP/1.1 server: one event-loop group accepts and serves keep-alive connections. */
public final class EmulatorServer implements AutoCloseable {
  /** InvokeModel's body limit (the service model caps the blob at 25,000,000 bytes). */
  public static final int MAX_BODY_BYTES = 25_000_000;

  private final String host;
  private final int requestedPort;
  private final int ioThreads;
  private final RequestDispatcher dispatcher;
  private final NettyTransport transport = NettyTransport.best();
  private EventLoopGroup group;
  private Channel serverChannel;

  public EmulatorServer(String host, int port, int ioThreads, RequestDispatcher dispatcher) {
    this.host = host;
    this.requestedPort = port;
    this.ioThreads = ioThreads;
    this.dispatcher = dispatcher;
  }

  /** Binds and starts serving; returns once the port is bound. */
  public synchronized void start() throws InterruptedException {
    if (group != null) {
      throw new IllegalStateException("already started");
    }
    // Daemon threads: an embedding test that forgets close() must not keep its JVM alive.
    group = transport.newGroup(ioThreads, "quarry-emulator");
    try {
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannel())
              .option(ChannelOption.SO_BACKLOG, 4096)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ChannelPipeline p = ch.pipeline();
                      // Batches the flushes of pipelined responses written during one read.
                      p.addLast(new FlushConsolidationHandler(256, true));
                      p.addLast(new HttpServerCodec(4096, 16384, 65536));
                      p.addLast(new BoundedBodyAggregator(MAX_BODY_BYTES));
                      p.addLast(new ConnectionHandler(dispatcher));
                    }
                  });
      serverChannel = bootstrap.bind(host, requestedPort).sync().channel();
    } catch (Exception e) {
      // Also reached by the BindException Netty throws without declaring it.
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      group = null;
      throw e;
    }
  }

  /** The bound port (the ephemeral one when started with port 0). */
  public synchronized int port() {
    if (serverChannel == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The Netty transport serving connections (epoll or NIO). */
  public NettyTransport transport() {
    return transport;
  }

  public synchronized boolean isRunning() {
    return serverChannel != null && serverChannel.isActive();
  }

  /**
   * Stops accepting, closes every connection and stops the event loops; waits for them to finish.
   */
  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    group = null;
    serverChannel = null;
  }
}
