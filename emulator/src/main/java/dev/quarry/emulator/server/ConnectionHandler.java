package dev.quarry.emulator.server;

import dev.quarry.emulator.wire.BedrockHeaders;
import dev.quarry.emulator.wire.ErrorShape;
import dev.quarry.emulator.wire.ServiceError;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one connection. Replies may become ready out of order (each waits its own latency on the
 * event loop, without blocking a thread), but HTTP/1.1 requires pipelined responses in request
 * order, so each reply carries a sequence number and waits here until its predecessors are written.
 * All methods run on the channel's event loop, so no locking is needed.
 */
final class ConnectionHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

  private final RequestDispatcher dispatcher;
  private final Map<Long, PendingReply> outOfOrder = new HashMap<>();
  private long nextSequence;
  private long nextToWrite;
  private boolean closing;

  ConnectionHandler(RequestDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    long sequence = nextSequence++;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpVersion version = request.protocolVersion();
    Reply reply;
    if (request.decoderResult().isFailure()) {
      keepAlive = false;
      reply =
          Reply.error(
              new ServiceError(
                  ErrorShape.VALIDATION,
                  "Malformed HTTP request: " + request.decoderResult().cause()));
    } else {
      reply = dispatcher.dispatch(request);
    }
    PendingReply pending = new PendingReply(reply, keepAlive, version);
    if (reply.delayMillis() > 0) {
      ctx.executor()
          .schedule(
              () -> complete(ctx, sequence, pending), reply.delayMillis(), TimeUnit.MILLISECONDS);
    } else {
      complete(ctx, sequence, pending);
    }
  }

  private void complete(ChannelHandlerContext ctx, long sequence, PendingReply pending) {
    if (closing) {
      return;
    }
    if (sequence != nextToWrite) {
      outOfOrder.put(sequence, pending);
      return;
    }
    send(ctx, pending);
    nextToWrite++;
    while (!closing && !outOfOrder.isEmpty()) {
      PendingReply next = outOfOrder.remove(nextToWrite);
      if (next == null) {
        break;
      }
      send(ctx, next);
      nextToWrite++;
    }
  }

  private void send(ChannelHandlerContext ctx, PendingReply pending) {
    Reply reply = pending.reply();
    if (reply.dropsConnection()) {
      closing = true;
      outOfOrder.clear();
      ctx.channel().close();
      return;
    }
    byte[] body = reply.body();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            pending.version(), reply.status(), Unpooled.wrappedBuffer(body));
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_TYPE, BedrockHeaders.APPLICATION_JSON);
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    for (Map.Entry<String, String> header : reply.headers()) {
      headers.set(header.getKey(), header.getValue());
    }
    HttpUtil.setKeepAlive(response, pending.keepAlive());
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!pending.keepAlive()) {
      closing = true;
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    outOfOrder.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Clients that give up (timeouts, dropped-connection tests) reset connections; that is not
    // news.
    if (cause instanceof IOException) {
      LOG.debug("Connection {} failed: {}", ctx.channel(), cause.toString());
    } else {
      LOG.warn("Closing connection {} after an unexpected error", ctx.channel(), cause);
    }
    closing = true;
    ctx.close();
  }

  private record PendingReply(Reply reply, boolean keepAlive, HttpVersion version) {}
}
