package dev.quarry.job.invoke.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * Collects one HTTP response, headers and whole body, into a future; the body is never interpreted
 * here.
 */
final class ResponseCollector implements SdkAsyncHttpResponseHandler {
  private final CompletableFuture<Collected> result = new CompletableFuture<>();
  private volatile SdkHttpResponse head;

  /** A response read to its end, whatever its status. */
  record Collected(SdkHttpResponse head, byte[] body) {}

  CompletableFuture<Collected> result() {
    return result;
  }

  @Override
  public void onHeaders(SdkHttpResponse headers) {
    this.head = headers;
  }

  @Override
  public void onStream(Publisher<ByteBuffer> stream) {
    stream.subscribe(
        new Subscriber<ByteBuffer>() {
          private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);

          @Override
          public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ByteBuffer buffer) {
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            body.writeBytes(chunk);
          }

          @Override
          public void onError(Throwable error) {
            result.completeExceptionally(error);
          }

          @Override
          public void onComplete() {
            SdkHttpResponse h = head;
            if (h == null) {
              result.completeExceptionally(
                  new IllegalStateException("Response body ended before its headers"));
            } else {
              result.complete(new Collected(h, body.toByteArray()));
            }
          }
        });
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }
}
