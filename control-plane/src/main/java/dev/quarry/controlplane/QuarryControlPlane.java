package dev.quarry.controlplane;

import dev.quarry.controlplane.api.ApiServer;
import dev.quarry.controlplane.api.JobArns;
import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.console.ConsoleHandler;
import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.events.EventDelivery;
import dev.quarry.controlplane.keys.KeyFile;
import dev.quarry.controlplane.keys.KeyStore;
import dev.quarry.controlplane.launch.EmbeddedFlinkLauncher;
import dev.quarry.controlplane.launch.EmbeddedFlinkSettings;
import dev.quarry.controlplane.launch.JobLauncher;
import dev.quarry.controlplane.launch.RemoteFlinkLauncher;
import dev.quarry.controlplane.launch.RemoteFlinkSettings;
import dev.quarry.controlplane.lifecycle.InputValidator;
import dev.quarry.controlplane.lifecycle.JobCommands;
import dev.quarry.controlplane.lifecycle.JobReconciler;
import dev.quarry.controlplane.lifecycle.JobSpecFactory;
import dev.quarry.controlplane.metrics.MetricsHandler;
import dev.quarry.controlplane.openai.OpenAiHandler;
import dev.quarry.controlplane.quota.QuotaAllocator;
import dev.quarry.controlplane.store.JdbcJobStore;
import dev.quarry.controlplane.store.JdbcOpenAiStore;
import dev.quarry.controlplane.store.JobStore;
import dev.quarry.controlplane.store.StoreSettings;
import dev.quarry.job.io.FileSystemSetup;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane, wired: status store, Flink launcher, lifecycle, the Bedrock REST API, the
 * console and the OpenAI Batch API, from one {@link ControlPlaneConfig}. {@link #main} runs it
 * until interrupted.
 */
public final class QuarryControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuarryControlPlane.class);

  private final JobStore store;
  private final JobLauncher launcher;
  private final JobReconciler reconciler;
  private final ApiServer api;
  private final QuotaAllocator quota;
  private final EventDelivery events;

  private QuarryControlPlane(
      JobStore store,
      JobLauncher launcher,
      JobReconciler reconciler,
      ApiServer api,
      QuotaAllocator quota,
      EventDelivery events) {
    this.store = store;
    this.launcher = launcher;
    this.reconciler = reconciler;
    this.api = api;
    this.quota = quota;
    this.events = events;
  }

  /** Starts everything with the system clock. */
  public static QuarryControlPlane start(ControlPlaneConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  /**
   * Starts everything; {@code clock} decides submission times and timeouts (tests pass their own).
   * Initializes Flink's file systems for this JVM (one S3 configuration per process).
   */
  public static QuarryControlPlane start(ControlPlaneConfig config, Clock clock) throws Exception {
    Path plugins = config.flink().pluginsDir();
    FileSystemSetup.initialize(Files.isDirectory(plugins) ? plugins : null, config.s3());
    Files.createDirectories(config.dataDir());
    JdbcJobStore store =
        JdbcJobStore.open(storeSettings(config), EventDelivery.statusEvents(config.events()));
    JobLauncher launcher = null;
    JobReconciler reconciler = null;
    QuotaAllocator quota = null;
    EventDelivery events = null;
    try {
      // Events the last run left undelivered go out first, before this run adds any.
      events = EventDelivery.start(store.outbox(), config.events(), clock);
      if ("remote".equals(config.flink().mode())) {
        RemoteFlinkLauncher.requireRemoteSecrets(config.bedrock(), store.progressAddress());
      }
      // Quota hook: divides model budgets among the running jobs it finds in the store on its own
      // timer. Its clock is always the system's: a test that moves the lifecycle's clock by hours
      // must not make the adaptive rate believe hours went by.
      quota = QuotaAllocator.create(store, config, Clock.systemUTC()).start();
      launcher = launcher(config);
      JobSpecFactory specs = new JobSpecFactory(config, store.progressAddress());
      JobArns arns = new JobArns(config.api().region());
      reconciler =
          new JobReconciler(
              store,
              launcher,
              new InputValidator(config.quotas(), config.s3()),
              specs,
              clock,
              config.lifecycle());
      JobCommands commands = new JobCommands(store, arns, clock, config.lifecycle(), reconciler);
      KeyStore keys = keyStore(config);
      ApiServer api =
          new ApiServer(
              config.api(),
              keys,
              clock,
              store,
              commands,
              config.quotas().invokeModelFamilies(),
              config.routes());
      PriceTable prices = PriceTable.load(config.pricesFile());
      api.mount(
          ConsoleHandler.PREFIX,
          new ConsoleHandler(
              config.console(), keys, clock, api.accountJobs(), store, prices, launcher.webUi()));
      // unsigned like the console: scrapers authenticate by address or bearer token instead
      api.mount(MetricsHandler.PREFIX, new MetricsHandler(config.metrics(), store, prices));
      api.mount(
          OpenAiHandler.PREFIX,
          new OpenAiHandler(
              config, keys, clock, api.accountJobs(), store, JdbcOpenAiStore.on(store)));
      api.start();
      reconciler.start();
      LOG.info("Quarry control plane listening on {}", api.endpoint());
      return new QuarryControlPlane(store, launcher, reconciler, api, quota, events);
    } catch (Exception | Error e) {
      if (reconciler != null) {
        reconciler.close();
      }
      if (events != null) {
        events.close();
      }
      if (quota != null) {
        quota.close();
      }
      if (launcher != null) {
        launcher.close();
      }
      store.close();
      throw e;
    }
  }

  private static KeyStore keyStore(ControlPlaneConfig config) {
    List<Path> files = new ArrayList<>(List.of(KeyFile.in(config.dataDir())));
    if (config.api().keysFile() != null) {
      files.add(config.api().keysFile());
    }
    KeyStore keys = new KeyStore(files);
    if (keys.size() == 0) {
      LOG.warn(
          "No access keys in {}: every API request will be refused until one is created "
              + "(scripts/quarry keys create --data-dir {})",
          files,
          config.dataDir());
    }
    return keys;
  }

  private static StoreSettings storeSettings(ControlPlaneConfig config) {
    ControlPlaneConfig.Store s = config.store();
    if (s.jdbcUrl() == null || s.jdbcUrl().isBlank()) {
      return StoreSettings.embedded(config.dataDir().resolve("store"));
    }
    return StoreSettings.builder()
        .jdbcUrl(s.jdbcUrl())
        .user(s.user())
        .password(s.password())
        .progressUser(s.progressUser())
        .progressPassword(s.progressPassword())
        .progressPasswordRef(s.progressPasswordRef())
        .build();
  }

  private static JobLauncher launcher(ControlPlaneConfig config) throws Exception {
    ControlPlaneConfig.Flink flink = config.flink();
    switch (flink.mode()) {
      case "embedded":
        return new EmbeddedFlinkLauncher(
            new EmbeddedFlinkSettings(
                flink.taskManagers(),
                flink.slotsPerTaskManager(),
                config.dataDir().resolve("flink")));
      case "remote":
        if (flink.restUrl() == null || flink.restUrl().isBlank()) {
          throw new IllegalArgumentException(
              "quarry.flink.mode=remote needs quarry.flink.rest-url");
        }
        return new RemoteFlinkLauncher(
            new RemoteFlinkSettings(
                URI.create(flink.restUrl()),
                jobJar(flink),
                config.s3(),
                config.s3Source(),
                flink.s3Check()));
      default:
        throw new IllegalArgumentException(
            "quarry.flink.mode must be embedded or remote, was " + flink.mode());
    }
  }

  /** The configured job jar, or the one the build leaves in job/target. */
  private static Path jobJar(ControlPlaneConfig.Flink flink) throws java.io.IOException {
    if (!flink.jobJar().isBlank()) {
      return Path.of(flink.jobJar());
    }
    Path target = Path.of("job", "target");
    if (Files.isDirectory(target)) {
      try (var jars = Files.list(target)) {
        Optional<Path> found =
            jars.filter(p -> p.getFileName().toString().matches("quarry-job-.*-flink\\.jar"))
                .findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    return target.resolve("quarry-job-flink.jar"); // reported as missing by the launcher
  }

  /** The API's endpoint, for {@code --endpoint-url}. */
  public URI endpoint() {
    return api.endpoint();
  }

  public JobStore store() {
    return store;
  }

  @Override
  public void close() {
    api.close();
    reconciler.close();
    events.close();
    quota.close();
    launcher.close();
    store.close();
  }

  /**
   * Runs with {@code conf/quarry.properties} (or the file given as the first argument) until
   * interrupted.
   */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "conf/quarry.properties");
    ControlPlaneConfig config = ControlPlaneConfig.from(ConfigSource.load(file));
    QuarryControlPlane plane = start(config);
    System.out.println("control-plane: " + plane.endpoint());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  plane.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
