package dev.quarry.emulator.server;

import dev.quarry.emulator.wire.BedrockHeaders;
import dev.quarry.emulator.wire.ErrorShape;
import dev.quarry.emulator.wire.ServiceError;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Aggregates request bodies up to InvokeModel's limit and answers a larger one with a
 * ValidationException in the AWS error shape (Netty's default is a bare 413), then closes the
 * connection since the rest of the body is unread.
 */
final class BoundedBodyAggregator extends HttpObjectAggregator {
  BoundedBodyAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    Reply reply =
        Reply.error(
            new ServiceError(
                ErrorShape.VALIDATION,
                "The request body is larger than the maximum of "
                    + maxContentLength()
                    + " bytes."));
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(reply.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, BedrockHeaders.APPLICATION_JSON);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    for (Map.Entry<String, String> header : reply.headers()) {
      response.headers().set(header.getKey(), header.getValue());
    }
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
