package dev.quarry.controlplane.config;

import dev.quarry.controlplane.access.BucketOwners;
import dev.quarry.controlplane.cluster.S3CheckMode;
import dev.quarry.job.io.S3Patience;
import dev.quarry.job.io.S3Settings;
import dev.quarry.job.model.InvokeModelFamilies;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvokeLimits;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Every setting of the control plane, typed, with the defaults documented in
 * {@code conf/quarry.properties}. Each key can be overridden by an environment variable
 * ({@code quarry.api.port} → {@code QUARRY_API_PORT}).
 *
 * <p>{@code s3Source} says where {@code s3} came from, for messages: {@code null} for the
 * {@code quarry.s3.*} keys, else a description (the local S3 of {@code scripts/quarry serve}).
 */
public record ControlPlaneConfig(
    Api api,
    Path dataDir,
    Store store,
    Lifecycle lifecycle,
    Quotas quotas,
    BedrockEndpoint bedrock,
    S3Settings s3,
    String s3Source,
    JobDefaults job,
    Map<String, ModelLimits> modelLimits,
    Flink flink,
    Console console,
    Path pricesFile) {

  /**
   * Where the API listens, its region, the account of the key {@code scripts/quarry serve} makes,
   * what one client and one account may cost it, the key file read besides
   * {@code <data-dir>/keys.json} ({@code null} for none), and the buckets owned by other accounts.
   */
  public record Api(String host, int port, String region, String accountId, HttpLimits http, AccountLimits accounts,
      Path keysFile, BucketOwners bucketOwners) {

    /** The same settings on another address. */
    public Api at(String host, int port) {
      return new Api(host, port, region, accountId, http, accounts, keysFile, bucketOwners);
    }
  }

  /**
   * What one account may ask of the API: requests per second (sustained, {@code 0} for no limit)
   * and in a burst, and how many of its jobs may wait (Submitted, Validating or Scheduled) at once.
   */
  public record AccountLimits(double requestsPerSecond, int requestBurst, int maxQueuedJobs) {
    public AccountLimits {
      if (requestsPerSecond < 0 || requestBurst < 1 || maxQueuedJobs < 1) {
        throw new IllegalArgumentException("quarry.api.account-requests-per-second must be >= 0, "
            + "quarry.api.account-request-burst and quarry.jobs.max-queued-per-account >= 1");
      }
    }
  }

  /**
   * Bounds on what one connection or request may hold of the API server: connections at once, how
   * long a connection may stay silent (idle between requests, or mid-request), how long a request
   * body may take to arrive, body and header sizes, and the handler threads.
   */
  public record HttpLimits(int maxConnections, long idleTimeoutMillis, long bodyTimeoutMillis, int maxBodyBytes,
      int maxHeaderBytes, int maxThreads) {
    public HttpLimits {
      if (maxConnections < 1 || idleTimeoutMillis < 1 || bodyTimeoutMillis < 1 || maxBodyBytes < 1
          || maxHeaderBytes < 1024 || maxThreads < 4) {
        throw new IllegalArgumentException("quarry.api.* limits out of range: max-connections, idle-timeout-ms, "
            + "body-timeout-ms and max-body-bytes must be positive, max-header-bytes >= 1024, max-threads >= 4");
      }
    }
  }

  /** The status store; a blank URL means the embedded H2 database under the data directory. */
  public record Store(String jdbcUrl, String user, String password) {
    @Override
    public String toString() {
      return "Store[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
    }
  }

  /** Scheduling: how many jobs run at once, the default timeout, how often the lifecycle looks. */
  public record Lifecycle(int maxRunningJobs, int defaultTimeoutHours, long pollIntervalMillis) {}

  /** What validation accepts. Quarry has no minimum record count. */
  public record Quotas(long maxRecordsPerJob, long maxRecordsPerFile, long maxFileBytes, long maxJobBytes,
      int sampleLines, InvokeModelFamilies invokeModelFamilies) {}

  /** Per-job defaults of the Flink job. */
  public record JobDefaults(int parallelism, long checkpointIntervalMillis, long progressIntervalMillis,
      long maxRecordBytes, int maxRestarts, InvokeLimits limits) {}

  /** A model's own budget, overriding the defaults. */
  public record ModelLimits(int requestsPerMinute, long tokensPerMinute) {}

  /**
   * Where jobs run: {@code embedded} (a MiniCluster in this process) or {@code remote} (a session
   * cluster at {@code restUrl}, which gets {@code jobJar}; {@code s3Check} says what a cluster that
   * reads another S3 than this control plane leads to).
   */
  public record Flink(String mode, String restUrl, int taskManagers, int slotsPerTaskManager, Path pluginsDir,
      String jobJar, S3CheckMode s3Check) {

    /** The same settings, running jobs on the session cluster at {@code restUrl}. */
    public Flink remote(String restUrl) {
      return new Flink("remote", restUrl, taskManagers, slotsPerTaskManager, pluginsDir, jobJar, s3Check);
    }
  }

  /**
   * The web console: how long a sign-in lasts, and how often running jobs' counts are sampled for
   * records/s and its chart. {@code pricesFile} (a component of its own, {@code null} for the built-in
   * copy of {@code conf/prices.json}) prices the tokens.
   */
  public record Console(long sessionMinutes, long sampleIntervalMillis) {
    public Console {
      if (sessionMinutes < 1 || sampleIntervalMillis < 100) {
        throw new IllegalArgumentException("quarry.console.session-minutes must be >= 1 and "
            + "quarry.console.sample-interval-ms >= 100");
      }
    }
  }

  private static Path keysFile(String value) {
    return value.isBlank() ? null : Path.of(value);
  }

  /** Reads every setting from {@code source}, applying the documented defaults. */
  public static ControlPlaneConfig from(ConfigSource c) {
    String region = c.string("quarry.region", "us-east-1");
    Path dataDir = Path.of(c.string("quarry.data-dir", ".quarry"));
    HttpLimits http = new HttpLimits(c.integer("quarry.api.max-connections", 512),
        c.number("quarry.api.idle-timeout-ms", 10_000), c.number("quarry.api.body-timeout-ms", 10_000),
        c.integer("quarry.api.max-body-bytes", 1 << 20), c.integer("quarry.api.max-header-bytes", 16_384),
        c.integer("quarry.api.max-threads", 32));
    AccountLimits accounts = new AccountLimits(c.decimal("quarry.api.account-requests-per-second", 100),
        c.integer("quarry.api.account-request-burst", 200), c.integer("quarry.jobs.max-queued-per-account", 100));
    Api api = new Api(c.string("quarry.api.host", "127.0.0.1"), c.integer("quarry.api.port", 8090), region,
        c.string("quarry.account-id", "000000000000"), http, accounts, keysFile(c.string("quarry.api.keys-file", "")),
        BucketOwners.parse(c.string("quarry.access.bucket-owners", "")));
    Store store = new Store(c.string("quarry.store.jdbc-url", ""), c.string("quarry.store.user", ""),
        c.string("quarry.store.password", ""));
    Lifecycle lifecycle = new Lifecycle(c.integer("quarry.jobs.max-running", 2),
        c.integer("quarry.jobs.default-timeout-hours", 24), c.number("quarry.jobs.poll-interval-ms", 250));
    Quotas quotas = new Quotas(
        c.number("quarry.validation.max-records-per-job", 10_000_000),
        c.number("quarry.validation.max-records-per-file", 10_000_000),
        c.number("quarry.validation.max-file-bytes", 10L << 30),
        c.number("quarry.validation.max-job-bytes", 100L << 30),
        c.integer("quarry.validation.sample-lines", 10),
        InvokeModelFamilies.parse(c.string("quarry.validation.invoke-model-families",
            InvokeModelFamilies.DEFAULTS.toString())));
    String bedrockKey = c.string("quarry.bedrock.access-key-id", null);
    BedrockEndpoint bedrock = new BedrockEndpoint(c.string("quarry.bedrock.endpoint", null),
        c.string("quarry.bedrock.region", region), bedrockKey,
        bedrockKey == null ? null : c.string("quarry.bedrock.secret-access-key", ""), null);
    String s3Key = c.string("quarry.s3.access-key", null);
    S3Patience patience = new S3Patience(
        c.number("quarry.s3.connect-timeout-ms", S3Patience.DEFAULTS.connectTimeoutMillis()),
        c.integer("quarry.s3.request-retries", S3Patience.DEFAULTS.requestRetries()),
        c.integer("quarry.s3.operation-retries", S3Patience.DEFAULTS.operationRetries()),
        c.number("quarry.s3.retry-interval-ms", S3Patience.DEFAULTS.retryIntervalMillis()));
    S3Settings s3 = new S3Settings(c.string("quarry.s3.endpoint", null),
        c.bool("quarry.s3.path-style-access", false), s3Key,
        s3Key == null ? null : c.string("quarry.s3.secret-key", ""), patience);
    InvokeLimits limits = InvokeLimits.builder()
        .requestsPerMinute(c.integer("quarry.job.requests-per-minute", 0))
        .tokensPerMinute(c.number("quarry.job.tokens-per-minute", 0))
        .maxConcurrency(c.integer("quarry.job.max-concurrency", 64))
        .maxAttempts(c.integer("quarry.job.max-attempts", 8))
        .initialBackoffMillis(c.number("quarry.job.initial-backoff-ms", 200))
        .maxBackoffMillis(c.number("quarry.job.max-backoff-ms", 20_000))
        .callTimeoutMillis(c.number("quarry.job.call-timeout-ms", 60_000))
        .adaptive(c.bool("quarry.job.adaptive", true))
        .build();
    JobDefaults job = new JobDefaults(c.integer("quarry.job.parallelism", 2),
        c.number("quarry.job.checkpoint-interval-ms", 10_000), c.number("quarry.job.progress-interval-ms", 2_000),
        c.number("quarry.job.max-record-bytes", 10L << 20), c.integer("quarry.job.max-restarts", 3), limits);
    Flink flink = new Flink(c.string("quarry.flink.mode", "embedded"), c.string("quarry.flink.rest-url", null),
        c.integer("quarry.flink.task-managers", 1), c.integer("quarry.flink.slots-per-task-manager", 4),
        Path.of(c.string("quarry.flink.plugins-dir", "plugins")), c.string("quarry.flink.job-jar", ""),
        S3CheckMode.parse(c.string("quarry.flink.s3-check", "fail")));
    Console console = new Console(c.number("quarry.console.session-minutes", 480),
        c.number("quarry.console.sample-interval-ms", 2_000));
    String prices = c.string("quarry.cost.prices-file", "");
    return new ControlPlaneConfig(api, dataDir, store, lifecycle, quotas, bedrock, s3, null, job,
        modelLimits(c), flink, console, prices.isBlank() ? null : Path.of(prices));
  }

  /** {@code quarry.model.<model id>.requests-per-minute} and {@code .tokens-per-minute}. */
  private static Map<String, ModelLimits> modelLimits(ConfigSource c) {
    Map<String, Integer> rpm = new HashMap<>();
    Map<String, Long> tpm = new HashMap<>();
    c.withPrefix("quarry.model.").forEach((rest, value) -> {
      if (rest.endsWith(".requests-per-minute")) {
        rpm.put(rest.substring(0, rest.length() - ".requests-per-minute".length()), Integer.parseInt(value));
      } else if (rest.endsWith(".tokens-per-minute")) {
        tpm.put(rest.substring(0, rest.length() - ".tokens-per-minute".length()), Long.parseLong(value));
      }
    });
    Map<String, ModelLimits> out = new HashMap<>();
    rpm.keySet().forEach(m -> out.put(m, new ModelLimits(rpm.get(m), tpm.getOrDefault(m, 0L))));
    tpm.keySet().forEach(m -> out.putIfAbsent(m, new ModelLimits(0, tpm.get(m))));
    return Map.copyOf(out);
  }

  /** The limits a job on {@code modelId} runs with: the model's own budget, else the defaults. */
  public InvokeLimits limitsFor(String modelId) {
    ModelLimits own = modelLimits.get(modelId);
    if (own == null) {
      return job.limits();
    }
    return job.limits().toBuilder().requestsPerMinute(own.requestsPerMinute())
        .tokensPerMinute(own.tokensPerMinute()).build();
  }

  /**
   * A copy with other settings, for tests and for {@code quarry serve} flags; {@code s3Source} says
   * where {@code s3} comes from ({@code null}: the {@code quarry.s3.*} keys).
   */
  public ControlPlaneConfig with(Api api, Path dataDir, BedrockEndpoint bedrock, S3Settings s3, String s3Source) {
    return new ControlPlaneConfig(api, dataDir, store, lifecycle, quotas, bedrock, s3, s3Source, job, modelLimits,
        flink, console, pricesFile);
  }

  /** A copy running jobs as {@code flink} says. */
  public ControlPlaneConfig with(Flink flink) {
    return new ControlPlaneConfig(api, dataDir, store, lifecycle, quotas, bedrock, s3, s3Source, job, modelLimits,
        flink, console, pricesFile);
  }
}
