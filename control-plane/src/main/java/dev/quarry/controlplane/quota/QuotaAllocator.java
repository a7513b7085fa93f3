package dev.quarry.controlplane.quota;

import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.store.JdbcJobStore;
import dev.quarry.controlplane.store.StoreLease;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Divides every pool's budget (a model's, or a route's: see {@link QuotaPools}) among the jobs
 * running in it, on its own timer: it finds the running jobs in the status store (so it needs no
 * hook in the lifecycle, and a job that starts or ends is re-divided within one period), weighs
 * them by priority, leaves to the others what a job does not use, and writes the grants the jobs
 * follow. A pool without a budget gets one found by its {@link ModelRateController} from the calls
 * and 429s the jobs report, kept in the store for the next job in the pool.
 *
 * <p>Of several control planes on one store, only the one holding the {@value #LEASE} lease
 * divides: two would write the grants in turn, each from its own view, and each learn its own rate
 * for a model. The others stand by and take over when the holder stops renewing it.
 */
public final class QuotaAllocator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaAllocator.class);

  /** A job that does not use its share is granted this much more than it used. */
  static final double DEMAND_HEADROOM = 1.5;

  static final double MIN_DEMAND_PER_MINUTE = 6;

  /**
   * The adaptive rate grows only while the jobs send at least this share of it: a rate they cannot
   * reach (still starting, or bounded by their concurrency) has not been tested against the model.
   */
  static final double USED_TO_GROW = 0.7;

  /** A share change smaller than this with the same jobs on the model is not worth a log line. */
  static final double LOGGED_CHANGE = 0.1;

  /** The name of the lease the dividing control plane holds. */
  static final String LEASE = "quota-allocator";

  private final QuotaTable table;
  private final StoreLease lease;
  private final QuotaPools pools;
  private final ControlPlaneConfig.Quota settings;
  private final Clock clock;
  private final Map<String, ModelRateController> controllers = new HashMap<>();
  private final Map<String, Double> savedRates = new HashMap<>();
  private Map<String, JobRates> lastRates = Map.of();
  private final Map<String, UsageWindow> usage = new HashMap<>();
  private Map<String, Grant> granted = Map.of();
  private Map<String, String> poolOfJob = Map.of();
  private ScheduledExecutorService timer;
  private boolean failing;
  private Boolean leading;

  QuotaAllocator(
      QuotaTable table,
      StoreLease lease,
      QuotaPools pools,
      ControlPlaneConfig.Quota settings,
      Clock clock) {
    this.table = table;
    this.lease = lease;
    this.pools = pools;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * An allocator on {@code store}, as the store's own user (the jobs' progress role may only read
   * grants), not yet running.
   */
  public static QuotaAllocator create(JdbcJobStore store, ControlPlaneConfig config, Clock clock) {
    return new QuotaAllocator(
        new QuotaTable(store.dataSource()),
        new StoreLease(
            store.dataSource(),
            LEASE,
            holderName(),
            Duration.ofMillis(config.quota().leaseMillis())),
        QuotaPools.of(config),
        config.quota(),
        clock);
  }

  /** This process as a lease holder: its host, its pid and a random part. */
  static String holderName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    String id =
        ProcessHandle.current().pid()
            + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong());
    return (host.length() > 127 - id.length() ? host.substring(0, 127 - id.length()) : host)
        + "/"
        + id;
  }

  /** Recomputes the grants every {@code quarry.quota.period-ms}, starting now. */
  public synchronized QuotaAllocator start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-quota");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::recomputeQuietly, 0, settings.periodMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void recomputeQuietly() {
    try {
      recompute();
      if (failing) {
        LOG.info("Quota grants are recomputed again");
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        LOG.warn("Cannot recompute the quota grants; jobs keep their last ones: {}", e.toString());
      }
      failing = true;
    }
  }

  /**
   * One recomputation at the clock's time: takes or renews the lease, then reads the running jobs
   * and their rates and writes every grant; writes nothing while another control plane holds the
   * lease.
   */
  synchronized List<Grant> recompute() throws SQLException {
    if (!lead()) {
      return List.of();
    }
    long now = clock.millis();
    List<RunningJob> jobs = table.runningJobs();
    Map<String, JobRates> rates = table.rates();
    Map<String, QuotaPool> poolByKey = new TreeMap<>();
    Map<String, List<RunningJob>> byPool = new TreeMap<>();
    Map<String, String> pooled = new HashMap<>();
    for (RunningJob j : jobs) {
      QuotaPool pool = pools.poolOf(j.modelId());
      poolByKey.putIfAbsent(pool.key(), pool);
      byPool.computeIfAbsent(pool.key(), k -> new ArrayList<>()).add(j);
      pooled.put(j.jobId(), pool.key());
    }
    jobs.forEach(
        j ->
            usage
                .computeIfAbsent(j.jobId(), id -> new UsageWindow())
                .add(now, rates.getOrDefault(j.jobId(), JobRates.NONE)));

    List<Grant> grants = new ArrayList<>();
    for (Map.Entry<String, List<RunningJob>> pool : byPool.entrySet()) {
      grants.addAll(divide(poolByKey.get(pool.getKey()), pool.getValue(), rates, now));
    }
    table.writeGrants(grants, now);

    Set<String> running = jobs.stream().map(RunningJob::jobId).collect(Collectors.toSet());
    usage.keySet().retainAll(running);
    controllers.keySet().retainAll(byPool.keySet());
    Map<String, Grant> next = grants.stream().collect(Collectors.toMap(Grant::jobId, g -> g));
    logChanges(granted, poolOfJob, next, pooled, poolByKey);
    granted = next;
    poolOfJob = pooled;
    lastRates = rates;
    return grants;
  }

  /** Whether this control plane divides now; logs when that changes. */
  private boolean lead() throws SQLException {
    boolean holds = lease.hold(clock.instant());
    if (leading == null || holds != leading) {
      if (holds) {
        LOG.info(
            "This control plane ({}) divides the model quotas now (lease {})",
            lease.holderName(),
            LEASE);
      } else {
        LOG.info(
            "Control plane {} divides the model quotas; this one ({}) stands by",
            lease.holder().orElse("(none)"),
            lease.holderName());
        // What it learned goes stale while another divides; on taking over it starts from the
        // store.
        controllers.clear();
        savedRates.clear();
        usage.clear();
        lastRates = Map.of();
        granted = Map.of();
        poolOfJob = Map.of();
      }
      leading = holds;
    }
    return holds;
  }

  private List<Grant> divide(
      QuotaPool pool, List<RunningJob> jobs, Map<String, JobRates> rates, long now)
      throws SQLException {
    long accepted = 0;
    long throttled = 0;
    boolean saturated = false;
    for (RunningJob job : jobs) {
      JobRates r = rates.getOrDefault(job.jobId(), JobRates.NONE);
      JobRates before = lastRates.get(job.jobId());
      // Counts restart from zero when a subtask is restored: a drop is a restart, not negative
      // calls.
      long calls = before == null || r.calls() < before.calls() ? 0 : r.calls() - before.calls();
      long throttles =
          before == null || r.throttled() < before.throttled()
              ? 0
              : r.throttled() - before.throttled();
      accepted += Math.max(0, calls - throttles);
      throttled += throttles;
      saturated |= r.rateLimited();
    }

    double budget;
    String source;
    if (pool.requestsPerMinute() > 0) {
      budget = pool.requestsPerMinute();
      source = pool.budgetSource();
    } else if (jobs.stream()
        .map(j -> pools.jobLimits(j.modelId()))
        .allMatch(l -> l.adaptive() && l.requestsPerMinute() == 0)) {
      // Nobody told Quarry a limit, not even a job cap: find the model's.
      double used = 0;
      boolean known = true;
      for (RunningJob job : jobs) {
        var use = usage.get(job.jobId()).recentUse();
        known &= use.isPresent();
        used += use.orElse(0);
      }
      ModelRateController current = controllers.get(pool.key());
      boolean using = known && (current == null || used >= USED_TO_GROW * current.rate());
      budget = learn(pool, now, accepted, throttled, saturated && using);
      source =
          String.format(
              Locale.ROOT,
              "learned rate %.0f/min%s",
              budget,
              controllers.get(pool.key()).slowStart() ? " (still rising to the first 429)" : "");
    } else {
      // No budget of the pool: each job runs on its own cap, backing off on 429s by itself.
      budget = 0;
      source = "no budget of " + pool.shown();
    }

    int totalWeight = jobs.stream().mapToInt(j -> j.priority().weight()).sum();
    List<Claim> claims = new ArrayList<>();
    Map<String, Boolean> holdsBack = new HashMap<>();
    for (RunningJob job : jobs) {
      int cap = pools.jobLimits(job.modelId()).requestsPerMinute();
      double demand = cap > 0 ? cap : Double.POSITIVE_INFINITY;
      var use = usage.get(job.jobId()).unsaturatedUse();
      if (use.isPresent()) {
        demand =
            Math.min(demand, Math.max(MIN_DEMAND_PER_MINUTE, use.getAsDouble() * DEMAND_HEADROOM));
        holdsBack.put(job.jobId(), true);
      }
      claims.add(
          new Claim(
              job.jobId(),
              job.priority().weight(),
              demand,
              cap > 0 ? cap : Double.POSITIVE_INFINITY));
    }
    Map<String, Double> shares = ShareDivision.divide(budget, claims);
    double tokens = pool.tokensPerMinute();

    List<Grant> out = new ArrayList<>();
    for (RunningJob job : jobs) {
      int w = job.priority().weight();
      String reason =
          String.format(
              Locale.ROOT,
              "%s; %s weight %d of %d over %d job%s on %s%s",
              source,
              job.priority().tagValue(),
              w,
              totalWeight,
              jobs.size(),
              jobs.size() == 1 ? "" : "s",
              pool.shown(),
              holdsBack.containsKey(job.jobId()) ? "; uses less than its share" : "");
      out.add(
          new Grant(
              job.jobId(),
              job.modelId(),
              w,
              shares.get(job.jobId()),
              tokens * w / totalWeight,
              reason));
    }
    return out;
  }

  /**
   * The rate the pool's controller allows after this period's figures; kept in the store as it
   * moves.
   */
  private double learn(QuotaPool pool, long now, long accepted, long throttled, boolean saturated)
      throws SQLException {
    String key = pool.key();
    ModelRateController controller = controllers.get(key);
    if (controller == null) {
      var learned = table.learnedRate(key);
      // A rate no 429 ever capped is where the last jobs got to, not a limit: keep rising from it.
      boolean limitFound = learned.map(LearnedRate::limitFound).orElse(false);
      controller =
          new ModelRateController(
              learned
                  .map(LearnedRate::requestsPerMinute)
                  .orElse(settings.initialRequestsPerMinute()),
              limitFound,
              now);
      controllers.put(key, controller);
      LOG.info(
          "{}: no request budget configured; starting the adaptive rate at {}/min ({})",
          pool.label(),
          Math.round(controller.rate()),
          limitFound
              ? "the limit learned before"
              : learned.isPresent()
                  ? "the rate reached before without a 429, rising"
                  : "nothing learned yet, rising");
    }
    double before = controller.rate();
    if (controller.update(now, accepted, throttled, saturated)) {
      LOG.info(
          "{}: {} of {} calls answered 429 in the last period; rate cut from {}/min to {}/min",
          pool.label(),
          throttled,
          accepted + throttled,
          Math.round(before),
          Math.round(controller.rate()));
    }
    Double saved = savedRates.get(key);
    if (saved == null || Math.abs(controller.rate() - saved) > 0.01 * saved) {
      table.saveLearnedRate(key, new LearnedRate(controller.rate(), !controller.slowStart()), now);
      savedRates.put(key, controller.rate());
    }
    return controller.rate();
  }

  /** Logs every job whose share changed noticeably, or whose pool gained or lost a job, and why. */
  private static void logChanges(
      Map<String, Grant> before,
      Map<String, String> poolsBefore,
      Map<String, Grant> after,
      Map<String, String> poolsAfter,
      Map<String, QuotaPool> pools) {
    Map<String, Set<String>> jobsBefore = jobsByPool(poolsBefore);
    Map<String, Set<String>> jobsAfter = jobsByPool(poolsAfter);
    for (Grant g : after.values()) {
      Grant old = before.get(g.jobId());
      String key = poolsAfter.get(g.jobId());
      Set<String> started = new TreeSet<>(jobsAfter.get(key));
      started.removeAll(jobsBefore.getOrDefault(key, Set.of()));
      Set<String> ended = new TreeSet<>(jobsBefore.getOrDefault(key, Set.of()));
      ended.removeAll(jobsAfter.get(key));
      String why;
      if (old == null) {
        why = "job started";
      } else if (!started.isEmpty() || !ended.isEmpty()) {
        why =
            (started.isEmpty()
                    ? ""
                    : "started on " + pools.get(key).shown() + ": " + String.join(", ", started))
                + (started.isEmpty() || ended.isEmpty() ? "" : "; ")
                + (ended.isEmpty() ? "" : "ended: " + String.join(", ", ended));
      } else if (changed(old.requestsPerMinute(), g.requestsPerMinute())) {
        why = "share moved";
      } else {
        continue;
      }
      LOG.info(
          "Job {} on {}: {} requests/min (was {}), {}; {}",
          g.jobId(),
          g.modelId(),
          shown(g.requestsPerMinute()),
          old == null ? "none" : shown(old.requestsPerMinute()),
          why,
          g.reason());
    }
    for (Grant g : before.values()) {
      if (!after.containsKey(g.jobId())) {
        LOG.info(
            "Job {} on {}: no longer running; its share of {} requests/min goes to the others",
            g.jobId(),
            g.modelId(),
            shown(g.requestsPerMinute()));
      }
    }
  }

  private static boolean changed(double before, double after) {
    if (before == after) {
      return false;
    }
    return before == 0 || after == 0 || Math.abs(after - before) / before > LOGGED_CHANGE;
  }

  private static String shown(double perMinute) {
    return perMinute == 0 ? "unlimited" : String.format(Locale.ROOT, "%.0f", perMinute);
  }

  private static Map<String, Set<String>> jobsByPool(Map<String, String> poolOfJob) {
    Map<String, Set<String>> out = new HashMap<>();
    poolOfJob.forEach((job, pool) -> out.computeIfAbsent(pool, p -> new HashSet<>()).add(job));
    return out;
  }

  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      t = timer;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (Boolean.TRUE.equals(leading)) {
        try {
          // Another control plane takes over at its next period, not when the lease runs out.
          lease.release();
        } catch (SQLException e) {
          LOG.warn("Cannot give up the quota lease; it runs out by itself: {}", e.toString());
        }
        leading = null;
      }
    }
  }
}
