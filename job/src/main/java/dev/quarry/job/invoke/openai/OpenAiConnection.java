package dev.quarry.job.invoke.openai;

import dev.quarry.job.invoke.ModelInvoker;
import dev.quarry.job.invoke.http.ModelHttpClient;
import dev.quarry.job.invoke.http.OpenAiCompatibleHttp;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.spec.ModelRoute;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * A subtask's connection to an OpenAI-compatible server: the Netty HTTP client (HTTP/1.1, which
 * every such server speaks), its event loops, and the invoker on top, closed together.
 *
 * @param invoker the record's calls
 * @param http the HTTP client
 * @param eventLoops its event loops
 */
public record OpenAiConnection(
    ModelInvoker invoker, SdkAsyncHttpClient http, EventLoopGroup eventLoops)
    implements AutoCloseable {

  /**
   * Opens the connection a job's route names; the API key is read now, on this machine, from its
   * reference.
   *
   * @throws IllegalArgumentException when an InvokeModel job's body family has no translator
   */
  public static OpenAiConnection open(JobSpec spec) {
    ModelRoute route = spec.route();
    BedrockBodyTranslator translator =
        Translators.forJob(spec.invocationType(), spec.modelId(), route.invokeFamily());
    String apiKey = route.apiKey() == null ? null : route.apiKey().resolve();
    InvokeLimits limits = spec.limits();
    Duration callTimeout = Duration.ofMillis(limits.callTimeoutMillis());
    ModelHttpClient client = ModelHttpClient.open(limits);
    OpenAiCompatibleHttp upstream =
        new OpenAiCompatibleHttp(client.http(), URI.create(route.baseUrl()), apiKey, callTimeout);
    return new OpenAiConnection(
        new OpenAiCompatibleInvoker(upstream, translator, route.upstreamModelFor(spec.modelId())),
        client.http(),
        client.eventLoops().eventLoopGroup());
  }

  @Override
  public void close() {
    http.close();
    // No quiet period: the client is closed, so nothing can submit work any more (as
    // BedrockConnection).
    eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
