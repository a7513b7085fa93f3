package dev.quarry.bench.api;

import dev.quarry.controlplane.QuarryControlPlane;
import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.keys.AccessKey;
import dev.quarry.controlplane.keys.KeyFile;
import dev.quarry.controlplane.keys.KeyGenerator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;

/**
 * Requests per second of ListModelInvocationJobs against a control plane on an empty store, made by
 * the real AWS SDK {@link BedrockClient} (SigV4-signed) from N threads for T seconds each.
 *
 * <p>{@code scripts/api-bench [--threads 1,4,16] [--seconds 10] [--warmup-seconds 3]}
 */
public final class ApiBench {
  private ApiBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int[] threads =
        Arrays.stream(options.getOrDefault("threads", "1,4,16").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "3"));
    int most = Arrays.stream(threads).max().orElse(1);
    // The JDK keeps at most http.maxConnections idle connections per host (5): more threads would
    // measure connection set-up instead of requests.
    System.setProperty("http.maxConnections", Integer.toString(Math.max(5, most)));

    Path dataDir = Files.createTempDirectory("quarry-api-bench");
    Map<String, String> settings = new HashMap<>();
    settings.put("quarry.api.port", "0");
    settings.put("quarry.data-dir", dataDir.toString());
    // the server's own cost is measured, not the per-account request quota (100/s by default)
    settings.put("quarry.api.account-requests-per-second", "0");
    // signatures are checked on every request, so the bench measures them too
    AccessKey key = new KeyGenerator().generate("000000000000");
    KeyFile.write(KeyFile.in(dataDir), List.of(key));
    try (QuarryControlPlane plane =
        QuarryControlPlane.start(ControlPlaneConfig.from(new ConfigSource(settings, Map.of())))) {
      URI endpoint = plane.endpoint();
      try (BedrockClient client =
          BedrockClient.builder()
              .endpointOverride(endpoint)
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(key.accessKey(), key.secretKey())))
              .httpClient(UrlConnectionHttpClient.create())
              .build()) {
        run(client, most, warmup);
        System.out.printf(
            "ListModelInvocationJobs on an empty store at %s, %d s per row%n", endpoint, seconds);
        System.out.printf(
            "%8s %10s %10s %9s %9s %8s%n",
            "threads", "requests", "req/s", "p50 ms", "p99 ms", "errors");
        for (int n : threads) {
          Result r = run(client, n, seconds);
          System.out.printf(
              "%8d %10d %10.0f %9.2f %9.2f %8d%n",
              n,
              r.requests(),
              r.requests() / (double) seconds,
              r.percentileMillis(50),
              r.percentileMillis(99),
              r.errors());
        }
      }
    }
  }

  private static Result run(BedrockClient client, int threads, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  List<Long> latencies = new ArrayList<>();
                  long errors = 0;
                  while (System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    try {
                      client.listModelInvocationJobs(b -> b.maxResults(10));
                      latencies.add(System.nanoTime() - start);
                    } catch (RuntimeException e) {
                      errors++;
                    }
                  }
                  return new Result(latencies, errors);
                }));
      }
      List<Long> all = new ArrayList<>();
      long errors = 0;
      for (Future<Result> f : futures) {
        all.addAll(f.get().latencies());
        errors += f.get().errors();
      }
      return new Result(all, errors);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: api-bench [--threads 1,4,16] [--seconds 10] [--warmup-seconds 3]");
      }
      out.put(args[i].substring(2), args[++i]);
    }
    return out;
  }

  /** The latencies (ns) of the calls that succeeded, and how many failed. */
  private record Result(List<Long> latencies, long errors) {
    long requests() {
      return latencies.size();
    }

    double percentileMillis(int p) {
      if (latencies.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = new ArrayList<>(latencies);
      sorted.sort(null);
      return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }
  }
}
