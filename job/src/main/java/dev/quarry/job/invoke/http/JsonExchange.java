package dev.quarry.job.invoke.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.reactivestreams.Subscriber;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;

/**
 * One request with a JSON body over the SDK's async HTTP client, answered as the SDK's calls are: a
 * 2xx with the {@link RuntimeResponse}, any other status with the exception {@code errors} makes of
 * it, a transport failure with {@link SdkClientException}, and a call that outlives {@code
 * callTimeout} with {@link ApiCallTimeoutException}.
 */
final class JsonExchange {
  private JsonExchange() {}

  static CompletableFuture<RuntimeResponse> send(
      SdkAsyncHttpClient http,
      SdkHttpRequest request,
      byte[] body,
      Duration callTimeout,
      BiFunction<SdkHttpResponse, byte[], RuntimeException> errors) {
    CompletableFuture<RuntimeResponse> result = new CompletableFuture<>();
    ResponseCollector collector = new ResponseCollector();
    AsyncRequestBody content = AsyncRequestBody.fromBytesUnsafe(body);
    CompletableFuture<Void> exchange =
        http.execute(
            AsyncExecuteRequest.builder()
                .request(request)
                .requestContentPublisher(
                    new SdkHttpContentPublisher() {
                      @Override
                      public Optional<Long> contentLength() {
                        return content.contentLength();
                      }

                      @Override
                      public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
                        content.subscribe(subscriber);
                      }
                    })
                .responseHandler(collector)
                .build());
    exchange.whenComplete(
        (ignored, error) -> {
          if (error != null) {
            collector.result().completeExceptionally(error);
          }
        });
    collector
        .result()
        .orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (collected, error) -> {
              if (error == null) {
                int status = collected.head().statusCode();
                if (status >= 200 && status < 300) {
                  result.complete(new RuntimeResponse(collected.head(), collected.body()));
                } else {
                  result.completeExceptionally(errors.apply(collected.head(), collected.body()));
                }
                return;
              }
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (cause instanceof TimeoutException) {
                exchange.cancel(
                    true); // closes the connection rather than leaving the call running unseen
                result.completeExceptionally(
                    ApiCallTimeoutException.create(callTimeout.toMillis()));
              } else {
                result.completeExceptionally(
                    SdkClientException.create(
                        "Unable to execute HTTP request: " + cause.getMessage(), cause));
              }
            });
    return result;
  }
}
