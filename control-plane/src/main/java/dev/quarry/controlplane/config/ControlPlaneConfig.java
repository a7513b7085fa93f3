package dev.quarry.controlplane.config;

import dev.quarry.controlplane.access.BucketOwners;
import dev.quarry.controlplane.cluster.S3CheckMode;
import dev.quarry.controlplane.routes.ModelCatalog;
import dev.quarry.job.io.S3Patience;
import dev.quarry.job.io.S3Settings;
import dev.quarry.job.model.InvokeModelFamilies;
import dev.quarry.job.secret.SecretRef;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.InvokeLimits;
import dev.quarry.job.spec.ModelRoute;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Every setting of the control plane, typed, with the defaults documented in {@code
 * conf/quarry.properties}. Each key can be overridden by an environment variable ({@code
 * quarry.api.port} → {@code QUARRY_API_PORT}).
 *
 * <p>{@code s3Source} says where {@code s3} came from, for messages: {@code null} for the {@code
 * quarry.s3.*} keys, else a description (the local S3 of {@code scripts/quarry serve}).
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
    ModelBudgets modelBudgets,
    Quota quota,
    ModelCatalog routes,
    Flink flink,
    Console console,
    Path pricesFile,
    Events events,
    Metrics metrics,
    OpenAi openai) {

  /**
   * Where the API listens, its region, the account of the key {@code scripts/quarry serve} makes,
   * what one client and one account may cost it, the key file read besides {@code
   * <data-dir>/keys.json} ({@code null} for none), and the buckets owned by other accounts.
   */
  public record Api(
      String host,
      int port,
      String region,
      String accountId,
      HttpLimits http,
      AccountLimits accounts,
      Path keysFile,
      BucketOwners bucketOwners) {

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
        throw new IllegalArgumentException(
            "quarry.api.account-requests-per-second must be >= 0, "
                + "quarry.api.account-request-burst and quarry.jobs.max-queued-per-account >= 1");
      }
    }
  }

  /**
   * Bounds on what one connection or request may hold of the API server: connections at once, how
   * long a connection may stay silent (idle between requests, or mid-request), how long a request
   * body may take to arrive, body and header sizes, and the handler threads.
   */
  public record HttpLimits(
      int maxConnections,
      long idleTimeoutMillis,
      long bodyTimeoutMillis,
      int maxBodyBytes,
      int maxHeaderBytes,
      int maxThreads) {
    public HttpLimits {
      if (maxConnections < 1
          || idleTimeoutMillis < 1
          || bodyTimeoutMillis < 1
          || maxBodyBytes < 1
          || maxHeaderBytes < 1024
          || maxThreads < 4) {
        throw new IllegalArgumentException(
            "quarry.api.* limits out of range: max-connections, idle-timeout-ms, "
                + "body-timeout-ms and max-body-bytes must be positive, max-header-bytes >= 1024, max-threads >= 4");
      }
    }
  }

  /**
   * The status store; a blank URL means the embedded H2 database under the data directory. Jobs
   * report progress as {@code progressUser} (PostgreSQL; blank: as {@code user}), whose password
   * the control plane sets to {@code progressPassword} (blank: derived from {@code password}) and
   * the TaskManagers find through {@code progressPasswordRef} ({@code null}: this JVM only, enough
   * for embedded Flink).
   */
  public record Store(
      String jdbcUrl,
      String user,
      String password,
      String progressUser,
      String progressPassword,
      SecretRef progressPasswordRef) {
    @Override
    public String toString() {
      return "Store[jdbcUrl="
          + jdbcUrl
          + ", user="
          + user
          + ", password=***, progressUser="
          + progressUser
          + ", progressPassword=***, progressPasswordRef="
          + progressPasswordRef
          + "]";
    }
  }

  /** Scheduling: how many jobs run at once, the default timeout, how often the lifecycle looks. */
  public record Lifecycle(int maxRunningJobs, int defaultTimeoutHours, long pollIntervalMillis) {}

  /** What validation accepts. Quarry has no minimum record count. */
  public record Quotas(
      long maxRecordsPerJob,
      long maxRecordsPerFile,
      long maxFileBytes,
      long maxJobBytes,
      int sampleLines,
      InvokeModelFamilies invokeModelFamilies) {}

  /** Per-job defaults of the Flink job. */
  public record JobDefaults(
      int parallelism,
      long checkpointIntervalMillis,
      long progressIntervalMillis,
      long maxRecordBytes,
      int maxRestarts,
      InvokeLimits limits) {}

  /**
   * A model's own budget, shared by every job running on it; 0 for none. {@code maxShare} is the
   * part of it batch jobs may use together, the rest being left to interactive callers of the same
   * model.
   */
  public record ModelLimits(int requestsPerMinute, long tokensPerMinute, double maxShare) {
    public ModelLimits {
      if (requestsPerMinute < 0 || tokensPerMinute < 0 || !(maxShare > 0 && maxShare <= 1)) {
        throw new IllegalArgumentException(
            "a model budget needs requests-per-minute and tokens-per-minute >= 0"
                + " and 0 < max-share <= 1, was "
                + requestsPerMinute
                + ", "
                + tokensPerMinute
                + ", "
                + maxShare);
      }
    }
  }

  /**
   * How the control plane divides each model's budget among its running jobs: how often it
   * recomputes the grants, how often a job reads its own ({@code 0}: jobs do not follow grants),
   * where the adaptive control starts on a model it has learned nothing about yet, and how long the
   * lease lasts by which one control plane of several on a store does the dividing.
   */
  public record Quota(
      long periodMillis, long pollMillis, double initialRequestsPerMinute, long leaseMillis) {
    public Quota {
      if (periodMillis < 10 || pollMillis < 0 || !(initialRequestsPerMinute > 0)) {
        throw new IllegalArgumentException(
            "quarry.quota.period-ms must be >= 10, poll-interval-ms >= 0 and"
                + " initial-requests-per-minute > 0");
      }
      if (leaseMillis < 2 * periodMillis) {
        throw new IllegalArgumentException(
            "quarry.quota.lease-ms must be at least twice quarry.quota.period-ms (the holder renews"
                + " it every period), was "
                + leaseMillis);
      }
    }
  }

  /**
   * Where jobs run: {@code embedded} (a MiniCluster in this process) or {@code remote} (a session
   * cluster at {@code restUrl}, which gets {@code jobJar}; {@code s3Check} says what a cluster that
   * reads another S3 than this control plane leads to).
   */
  public record Flink(
      String mode,
      String restUrl,
      int taskManagers,
      int slotsPerTaskManager,
      Path pluginsDir,
      String jobJar,
      S3CheckMode s3Check) {

    /** The same settings, running jobs on the session cluster at {@code restUrl}. */
    public Flink remote(String restUrl) {
      return new Flink(
          "remote", restUrl, taskManagers, slotsPerTaskManager, pluginsDir, jobJar, s3Check);
    }
  }

  /**
   * The web console: how long a sign-in lasts, and how often running jobs' counts are sampled for
   * records/s and its chart. {@code pricesFile} (a component of its own, {@code null} for the
   * built-in copy of {@code conf/prices.json}) prices the tokens.
   */
  public record Console(long sessionMinutes, long sampleIntervalMillis, long errorScanBytes) {
    public Console {
      if (sessionMinutes < 1 || sampleIntervalMillis < 100) {
        throw new IllegalArgumentException(
            "quarry.console.session-minutes must be >= 1 and "
                + "quarry.console.sample-interval-ms >= 100");
      }
      if (errorScanBytes < 1) {
        throw new IllegalArgumentException(
            "quarry.console.error-scan-bytes must be >= 1, was " + errorScanBytes);
      }
    }
  }

  /**
   * Job state-change events: the webhooks each event is POSTed to (none: no events), the secret
   * their HMAC-SHA256 signatures are keyed with (an {@code env:} or {@code file:} reference), how
   * long one attempt may take, the exponential backoff between attempts, when an event is given up
   * (attempts, or age since its status change), how many events may wait per webhook (the oldest
   * beyond are dropped), and how often the outbox is read.
   */
  public record Events(
      List<URI> webhookUrls,
      SecretRef webhookSecret,
      long timeoutMillis,
      long initialBackoffMillis,
      long maxBackoffMillis,
      int maxAttempts,
      long maxAgeMinutes,
      int maxPending,
      long pollIntervalMillis) {
    public Events {
      webhookUrls = List.copyOf(new LinkedHashSet<>(webhookUrls));
      for (URI url : webhookUrls) {
        if (!url.isAbsolute()
            || url.getHost() == null
            || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
          throw new IllegalArgumentException(
              "quarry.events.webhook-url takes http:// or https:// URLs, comma-separated; "
                  + url.getScheme()
                  + "://"
                  + url.getHost()
                  + " is not one");
        }
      }
      if (!webhookUrls.isEmpty() && webhookSecret == null) {
        throw new IllegalArgumentException(
            "quarry.events.webhook-url needs quarry.events.webhook-secret-ref (env:NAME or"
                + " file:/path), the key of the events' signatures");
      }
      if (webhookSecret != null && webhookSecret.isInProcess()) {
        throw new IllegalArgumentException(
            "quarry.events.webhook-secret-ref must be env:NAME or file:/path");
      }
      if (timeoutMillis < 1
          || initialBackoffMillis < 1
          || maxBackoffMillis < initialBackoffMillis
          || maxAttempts < 1
          || maxAgeMinutes < 1
          || maxPending < 1
          || pollIntervalMillis < 10) {
        throw new IllegalArgumentException(
            "quarry.events.* out of range: timeout-ms, initial-backoff-ms, max-attempts,"
                + " max-age-minutes and max-pending must be >= 1, max-backoff-ms >="
                + " initial-backoff-ms, poll-interval-ms >= 10");
      }
    }

    /** Whether any event is sent at all. */
    public boolean enabled() {
      return !webhookUrls.isEmpty();
    }
  }

  private static List<URI> webhookUrls(String value) {
    List<URI> urls = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        try {
          urls.add(new URI(part.trim()));
        } catch (URISyntaxException e) {
          // Not echoed whole: a webhook URL may carry a token.
          throw new IllegalArgumentException(
              "quarry.events.webhook-url: not a URL (" + e.getReason() + ")");
        }
      }
    }
    return urls;
  }

  /**
   * Who may scrape {@code /metrics}. A request from a loopback address is served without a token
   * when {@code openOnLoopback}; any request is served with {@code Authorization: Bearer <token>},
   * the token read (at each scrape, so it can be rotated) from {@code bearerTokenRef}, an {@code
   * env:} or {@code file:} reference ({@code null}: no token, so only loopback is served).
   */
  public record Metrics(boolean openOnLoopback, SecretRef bearerTokenRef) {
    public Metrics {
      if (bearerTokenRef != null && bearerTokenRef.isInProcess()) {
        throw new IllegalArgumentException(
            "quarry.metrics.bearer-token-ref must be env:NAME or file:/path");
      }
    }
  }

  /**
   * The OpenAI Batch API under {@code /v1}: where uploaded files and batch outputs live ({@code
   * s3://bucket/prefix/}, one folder per account below it), the largest upload, how long an upload
   * may take to arrive, and the most requests one batch may hold.
   */
  public record OpenAi(
      String filesUri, long maxFileBytes, long uploadTimeoutMillis, long maxRequestsPerBatch) {
    public OpenAi {
      // s3:// only: a batch is a job, and a job's input and output are S3 URIs
      if (filesUri == null || !filesUri.startsWith("s3://") || !filesUri.endsWith("/")) {
        throw new IllegalArgumentException(
            "quarry.openai.files-uri must be an s3:// prefix ending with /, was " + filesUri);
      }
      if (maxFileBytes < 1 || uploadTimeoutMillis < 1 || maxRequestsPerBatch < 1) {
        throw new IllegalArgumentException(
            "quarry.openai.max-file-bytes, upload-timeout-ms and max-requests-per-batch must be"
                + " positive");
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
    HttpLimits http =
        new HttpLimits(
            c.integer("quarry.api.max-connections", 512),
            c.number("quarry.api.idle-timeout-ms", 10_000),
            c.number("quarry.api.body-timeout-ms", 10_000),
            c.integer("quarry.api.max-body-bytes", 1 << 20),
            c.integer("quarry.api.max-header-bytes", 16_384),
            c.integer("quarry.api.max-threads", 32));
    AccountLimits accounts =
        new AccountLimits(
            c.decimal("quarry.api.account-requests-per-second", 100),
            c.integer("quarry.api.account-request-burst", 200),
            c.integer("quarry.jobs.max-queued-per-account", 100));
    Api api =
        new Api(
            c.string("quarry.api.host", "127.0.0.1"),
            c.integer("quarry.api.port", 8090),
            region,
            c.string("quarry.account-id", "000000000000"),
            http,
            accounts,
            keysFile(c.string("quarry.api.keys-file", "")),
            BucketOwners.parse(c.string("quarry.access.bucket-owners", "")));
    Store store =
        new Store(
            c.string("quarry.store.jdbc-url", ""),
            c.string("quarry.store.user", ""),
            c.string("quarry.store.password", ""),
            c.string("quarry.store.progress-user", "quarry_progress"),
            c.string("quarry.store.progress-password", ""),
            reference(c.string("quarry.store.progress-password-ref", "")));
    Lifecycle lifecycle =
        new Lifecycle(
            c.integer("quarry.jobs.max-running", 2),
            c.integer("quarry.jobs.default-timeout-hours", 24),
            c.number("quarry.jobs.poll-interval-ms", 250));
    Quotas quotas =
        new Quotas(
            c.number("quarry.validation.max-records-per-job", 10_000_000),
            c.number("quarry.validation.max-records-per-file", 10_000_000),
            c.number("quarry.validation.max-file-bytes", 10L << 30),
            c.number("quarry.validation.max-job-bytes", 100L << 30),
            c.integer("quarry.validation.sample-lines", 10),
            InvokeModelFamilies.parse(
                c.string(
                    "quarry.validation.invoke-model-families",
                    InvokeModelFamilies.DEFAULTS.toString())));
    String bedrockKey = c.string("quarry.bedrock.access-key-id", null);
    // The job gets where the secret is, never the secret: the reference if one is given, else the
    // value
    // kept in this JVM (which only the embedded MiniCluster can read).
    SecretRef bedrockSecret = reference(c.string("quarry.bedrock.secret-access-key-ref", ""));
    if (bedrockSecret == null && bedrockKey != null) {
      bedrockSecret = SecretRef.inProcess(c.string("quarry.bedrock.secret-access-key", ""));
    }
    BedrockEndpoint bedrock =
        new BedrockEndpoint(
            c.string("quarry.bedrock.endpoint", null),
            c.string("quarry.bedrock.region", region),
            bedrockKey,
            bedrockKey == null ? null : bedrockSecret,
            null);
    String s3Key = c.string("quarry.s3.access-key", null);
    S3Patience patience =
        new S3Patience(
            c.number("quarry.s3.connect-timeout-ms", S3Patience.DEFAULTS.connectTimeoutMillis()),
            c.integer("quarry.s3.request-retries", S3Patience.DEFAULTS.requestRetries()),
            c.integer("quarry.s3.operation-retries", S3Patience.DEFAULTS.operationRetries()),
            c.number("quarry.s3.retry-interval-ms", S3Patience.DEFAULTS.retryIntervalMillis()));
    S3Settings s3 =
        new S3Settings(
            c.string("quarry.s3.endpoint", null),
            c.bool("quarry.s3.path-style-access", false),
            s3Key,
            s3Key == null ? null : c.string("quarry.s3.secret-key", ""),
            patience);
    InvokeLimits limits =
        InvokeLimits.builder()
            .requestsPerMinute(c.integer("quarry.job.requests-per-minute", 0))
            .tokensPerMinute(c.number("quarry.job.tokens-per-minute", 0))
            .maxConcurrency(c.integer("quarry.job.max-concurrency", 64))
            .maxAttempts(c.integer("quarry.job.max-attempts", 8))
            .initialBackoffMillis(c.number("quarry.job.initial-backoff-ms", 200))
            .maxBackoffMillis(c.number("quarry.job.max-backoff-ms", 20_000))
            .callTimeoutMillis(c.number("quarry.job.call-timeout-ms", 60_000))
            .adaptive(c.bool("quarry.job.adaptive", true))
            .build();
    Quota quota =
        new Quota(
            c.number("quarry.quota.period-ms", 500),
            c.number("quarry.quota.poll-interval-ms", 500),
            c.number("quarry.quota.initial-requests-per-minute", 60),
            c.number("quarry.quota.lease-ms", 5_000));
    JobDefaults job =
        new JobDefaults(
            c.integer("quarry.job.parallelism", 2),
            c.number("quarry.job.checkpoint-interval-ms", 10_000),
            c.number("quarry.job.progress-interval-ms", 2_000),
            c.number("quarry.job.max-record-bytes", 10L << 20),
            c.integer("quarry.job.max-restarts", 3),
            limits);
    Flink flink =
        new Flink(
            c.string("quarry.flink.mode", "embedded"),
            c.string("quarry.flink.rest-url", null),
            c.integer("quarry.flink.task-managers", 1),
            c.integer("quarry.flink.slots-per-task-manager", 4),
            Path.of(c.string("quarry.flink.plugins-dir", "plugins")),
            c.string("quarry.flink.job-jar", ""),
            S3CheckMode.parse(c.string("quarry.flink.s3-check", "fail")));
    Console console =
        new Console(
            c.number("quarry.console.session-minutes", 480),
            c.number("quarry.console.sample-interval-ms", 2_000),
            c.number("quarry.console.error-scan-bytes", 16L << 20));
    String prices = c.string("quarry.cost.prices-file", "");
    Events events =
        new Events(
            webhookUrls(c.string("quarry.events.webhook-url", "")),
            reference(c.string("quarry.events.webhook-secret-ref", "")),
            c.number("quarry.events.timeout-ms", 10_000),
            c.number("quarry.events.initial-backoff-ms", 1_000),
            c.number("quarry.events.max-backoff-ms", 300_000),
            c.integer("quarry.events.max-attempts", 185),
            c.number("quarry.events.max-age-minutes", 1_440),
            c.integer("quarry.events.max-pending", 100_000),
            c.number("quarry.events.poll-interval-ms", 500));
    Metrics metrics =
        new Metrics(
            c.bool("quarry.metrics.open-on-loopback", true),
            reference(c.string("quarry.metrics.bearer-token-ref", "")));
    String filesUri = c.string("quarry.openai.files-uri", "s3://quarry-openai/");
    OpenAi openai =
        new OpenAi(
            filesUri.endsWith("/") ? filesUri : filesUri + "/",
            c.number("quarry.openai.max-file-bytes", 200L << 20),
            c.number("quarry.openai.upload-timeout-ms", 300_000),
            c.number("quarry.openai.max-requests-per-batch", 50_000));
    return new ControlPlaneConfig(
        api,
        dataDir,
        store,
        lifecycle,
        quotas,
        bedrock,
        s3,
        null,
        job,
        ModelBudgets.from(c),
        quota,
        ModelCatalog.parse(c.withPrefix(ROUTE_PREFIX)),
        flink,
        console,
        prices.isBlank() ? null : Path.of(prices),
        events,
        metrics,
        openai);
  }

  /**
   * The model catalog's keys: {@code quarry.route.<name>.<key>} (file only, like per-model
   * budgets).
   */
  private static final String ROUTE_PREFIX = "quarry.route.";

  private static SecretRef reference(String value) {
    return value.isBlank() ? null : SecretRef.parse(value);
  }

  /**
   * The limits a job on {@code modelId} runs with: the job defaults, overridden by its route's
   * budgets, capped by the model's own budget. These are caps; the control plane also divides the
   * route's or the model's budget among the jobs that share it (see {@code quota/QuotaPools}).
   */
  public InvokeLimits limitsFor(String modelId) {
    InvokeLimits routed =
        routes.entryFor(modelId).map(r -> r.limits(job.limits())).orElse(job.limits());
    InvokeLimits defaults = routed.toBuilder().quotaPollMillis(quota.pollMillis()).build();
    return modelBudgets
        .forModel(modelId)
        .map(
            own ->
                defaults.toBuilder()
                    .requestsPerMinute(
                        (int) lowerOf(defaults.requestsPerMinute(), own.requestsPerMinute()))
                    .tokensPerMinute(lowerOf(defaults.tokensPerMinute(), own.tokensPerMinute()))
                    .build())
        .orElse(defaults);
  }

  /** The lower of two limits where 0 means none. */
  private static long lowerOf(long a, long b) {
    return a <= 0 ? b : b <= 0 ? a : Math.min(a, b);
  }

  /** Where a job on {@code modelId} sends its calls: its catalog entry's route, else Bedrock. */
  public ModelRoute routeFor(String modelId) {
    return routes.routeFor(modelId);
  }

  /**
   * A copy with other settings, for tests and for {@code quarry serve} flags; {@code s3Source} says
   * where {@code s3} comes from ({@code null}: the {@code quarry.s3.*} keys).
   */
  public ControlPlaneConfig with(
      Api api, Path dataDir, BedrockEndpoint bedrock, S3Settings s3, String s3Source) {
    return new ControlPlaneConfig(
        api,
        dataDir,
        store,
        lifecycle,
        quotas,
        bedrock,
        s3,
        s3Source,
        job,
        modelBudgets,
        quota,
        routes,
        flink,
        console,
        pricesFile,
        events,
        metrics,
        openai);
  }

  /** A copy running jobs as {@code flink} says. */
  public ControlPlaneConfig with(Flink flink) {
    return new ControlPlaneConfig(
        api,
        dataDir,
        store,
        lifecycle,
        quotas,
        bedrock,
        s3,
        s3Source,
        job,
        modelBudgets,
        quota,
        routes,
        flink,
        console,
        pricesFile,
        events,
        metrics,
        openai);
  }
}
