package dev.quarry.job.invoke;

import dev.quarry.job.invoke.openai.OpenAiConnection;
import dev.quarry.job.invoke.openaibatch.OpenAiBatchConnection;
import dev.quarry.job.spec.InvocationType;
import dev.quarry.job.spec.JobSpec;

/**
 * Opens the invoker a job's route and record format call for: Bedrock Runtime, or an
 * OpenAI-compatible server, with Bedrock records or OpenAI batch requests.
 */
final class ModelInvokers {
  private ModelInvokers() {}

  /**
   * An invoker and what it holds open (HTTP clients, event loops).
   *
   * @param invoker the record's calls
   * @param resources closed when the subtask closes
   */
  record Opened(ModelInvoker invoker, AutoCloseable resources) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      resources.close();
    }
  }

  static Opened open(JobSpec spec) {
    if (spec.recordFormat().isOpenAiBatch()) {
      OpenAiBatchConnection batch = OpenAiBatchConnection.open(spec);
      return new Opened(batch.invoker(), batch);
    }
    if (!spec.route().isBedrock()) {
      OpenAiConnection connection = OpenAiConnection.open(spec);
      return new Opened(connection.invoker(), connection);
    }
    BedrockConnection connection = BedrockClients.create(spec.bedrock(), spec.limits());
    ModelInvoker invoker =
        spec.invocationType() == InvocationType.CONVERSE
            ? new ConverseInvoker(connection.runtimeHttp(), spec.modelId())
            : new InvokeModelInvoker(connection.client(), spec.modelId());
    return new Opened(invoker, connection);
  }
}
