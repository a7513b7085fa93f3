package dev.quarry.job.invoke.openaibatch;

import dev.quarry.job.invoke.BedrockClients;
import dev.quarry.job.invoke.BedrockConnection;
import dev.quarry.job.invoke.ModelInvoker;
import dev.quarry.job.invoke.http.ModelHttpClient;
import dev.quarry.job.invoke.http.OpenAiCompatibleHttp;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.spec.ModelRoute;
import dev.quarry.job.spec.RecordFormat;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A subtask's model calls for an OpenAI batch: to an OpenAI-compatible server as they are ({@link
 * PassThroughInvoker}), or to Bedrock translated, chat completions on Converse ({@link
 * ChatOnConverseInvoker}) and embeddings on Titan ({@link EmbeddingsOnTitanInvoker}); with what
 * they hold open, closed together.
 *
 * @param invoker the record's calls
 * @param resources what closes with the subtask
 */
public record OpenAiBatchConnection(ModelInvoker invoker, AutoCloseable resources)
    implements AutoCloseable {

  /** Opens the calls of a job whose record format is an OpenAI endpoint. */
  public static OpenAiBatchConnection open(JobSpec spec) {
    RecordFormat format = spec.recordFormat();
    if (!format.isOpenAiBatch()) {
      throw new IllegalArgumentException("Not an OpenAI batch: " + format);
    }
    ModelRoute route = spec.route();
    if (route.isBedrock()) {
      BedrockConnection bedrock = BedrockClients.create(spec.bedrock(), spec.limits());
      ModelInvoker invoker =
          format == RecordFormat.OPENAI_EMBEDDINGS
              ? new EmbeddingsOnTitanInvoker(bedrock.runtimeHttp(), spec.modelId())
              : new ChatOnConverseInvoker(bedrock.runtimeHttp(), spec.modelId(), Clock.systemUTC());
      return new OpenAiBatchConnection(invoker, bedrock);
    }
    String apiKey = route.apiKey() == null ? null : route.apiKey().resolve();
    ModelHttpClient client = ModelHttpClient.open(spec.limits());
    OpenAiCompatibleHttp http =
        new OpenAiCompatibleHttp(
            client.http(),
            URI.create(route.baseUrl()),
            apiKey,
            Duration.ofMillis(spec.limits().callTimeoutMillis()));
    String path = format.openAiEndpoint().substring("/v1".length());
    return new OpenAiBatchConnection(
        new PassThroughInvoker(http, path, spec.modelId(), route.upstreamModelFor(spec.modelId())),
        () -> {
          client.http().close();
          client
              .eventLoops()
              .eventLoopGroup()
              .shutdownGracefully(0, 5, TimeUnit.SECONDS)
              .awaitUninterruptibly(5, TimeUnit.SECONDS);
        });
  }

  @Override
  public void close() throws Exception {
    resources.close();
  }
}
