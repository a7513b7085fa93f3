package dev.quarry.bench;

import dev.quarry.job.invoke.BedrockClients;
import dev.quarry.job.invoke.BedrockConnection;
import dev.quarry.job.invoke.InvokeModelInvoker;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvokeLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The limit of this machine: the same records sent by nothing but a loop that keeps calls in
 * flight, shaped like the job's model-call operator ({@code clients} SDK clients, one per subtask,
 * with {@code concurrency} calls in flight each), with the job's own SDK client and request
 * building ({@link BedrockClients}, {@link InvokeModelInvoker}), and no Flink, no S3, no rate
 * limiter. As in the job, each client's next call is sent from a thread of its own, not from the
 * SDK's I/O thread that completed the previous one.
 */
final class PlainAsyncLoop {
  private final BedrockEndpoint endpoint;
  private final String modelId;
  private final int clients;
  private final int concurrency;

  PlainAsyncLoop(BedrockEndpoint endpoint, String modelId, int clients, int concurrency) {
    this.endpoint = endpoint;
    this.modelId = modelId;
    this.clients = clients;
    this.concurrency = concurrency;
  }

  /**
   * Sends records {@code 0..records-1} of {@code prefix}; the timeline counts answered calls and
   * the CPU time {@code cpu} reads.
   */
  Timeline run(String prefix, long records, CpuClock cpu) throws Exception {
    InvokeLimits limits = InvokeLimits.builder().maxConcurrency(concurrency).build();
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Timeline timeline = new Timeline();
    List<BedrockConnection> connections = new ArrayList<>();
    List<ExecutorService> senders = new ArrayList<>();
    // From before the clients are built, as a job's run counts from its Create.
    long start = System.nanoTime();
    timeline.add(0, 0, cpu.read());
    try {
      for (int i = 0; i < clients; i++) {
        connections.add(BedrockClients.create(endpoint, limits));
      }
      List<CompletableFuture<Void>> chains = new ArrayList<>();
      for (BedrockConnection connection : connections) {
        InvokeModelInvoker invoker = new InvokeModelInvoker(connection.client(), modelId);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        senders.add(sender);
        for (int c = 0; c < concurrency; c++) {
          chains.add(chain(invoker, sender, prefix, records, next, done, failure));
        }
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new));
      while (!all.isDone()) {
        timeline.add((System.nanoTime() - start) / 1e9, done.get(), cpu.read());
        Thread.sleep(50);
      }
      timeline.add((System.nanoTime() - start) / 1e9, done.get(), cpu.read());
      all.join();
    } finally {
      senders.forEach(ExecutorService::shutdownNow);
      connections.forEach(BedrockConnection::close);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a call of the plain loop failed", failure.get());
    }
    return timeline;
  }

  /** One in-flight slot: sends the next record whenever its previous call is answered. */
  private static CompletableFuture<Void> chain(
      InvokeModelInvoker invoker,
      Executor sender,
      String prefix,
      long records,
      AtomicLong next,
      AtomicLong done,
      AtomicReference<Throwable> failure) {
    long i = next.getAndIncrement();
    if (i >= records || failure.get() != null) {
      return CompletableFuture.completedFuture(null);
    }
    return invoker
        .invoke(BenchRecords.modelInput(prefix, i))
        .handle(
            (response, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              } else {
                done.incrementAndGet();
              }
              return null;
            })
        .thenComposeAsync(
            x -> chain(invoker, sender, prefix, records, next, done, failure), sender);
  }
}
