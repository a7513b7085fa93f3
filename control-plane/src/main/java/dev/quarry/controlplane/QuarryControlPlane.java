package dev.quarry.controlplane;

import dev.quarry.controlplane.api.ApiServer;
import dev.quarry.controlplane.api.JobArns;
import dev.quarry.controlplane.config.ConfigSource;
import dev.quarry.controlplane.console.ConsoleHandler;
import dev.quarry.controlplane.cost.PriceTable;
import dev.quarry.controlplane.config.ControlPlaneConfig;
import dev.quarry.controlplane.keys.KeyFile;
import dev.quarry.controlplane.keys.KeyStore;
import dev.quarry.controlplane.launch.EmbeddedFlinkLauncher;
import dev.quarry.controlplane.launch.EmbeddedFlinkSettings;
import dev.quarry.controlplane.launch.JobLauncher;
import dev.quarry.controlplane.launch.RemoteFlinkLauncher;
import dev.quarry.controlplane.launch.RemoteFlinkSettings;
import dev.quarry.controlplane.lifecycle.InputValidator;
import dev.quarry.controlplane.lifecycle.JobLifecycle;
import dev.quarry.controlplane.lifecycle.JobSpecFactory;
import dev.quarry.controlplane.store.JdbcJobStore;
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
 * The control plane, wired: status store, Flink launcher, lifecycle and REST API, from one
 * {@link ControlPlaneConfig}. {@link #main} runs it until interrupted.
 */
public final class QuarryControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuarryControlPlane.class);

  private final JobStore store;
  private final JobLauncher launcher;
  private final JobLifecycle lifecycle;
  private final ApiServer api;

  private QuarryControlPlane(JobStore store, JobLauncher launcher, JobLifecycle lifecycle, ApiServer api) {
    this.store = store;
    this.launcher = launcher;
    this.lifecycle = lifecycle;
    this.api = api;
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
    JobStore store = JdbcJobStore.open(storeSettings(config));
    JobLauncher launcher = null;
    JobLifecycle lifecycle = null;
    try {
      launcher = launcher(config);
      JobSpecFactory specs = new JobSpecFactory(config, store.progressAddress());
      JobArns arns = new JobArns(config.api().region());
      lifecycle = new JobLifecycle(store, launcher, new InputValidator(config.quotas(), config.s3()), specs, arns, clock,
          config.lifecycle());
      KeyStore keys = keyStore(config);
      ApiServer api = new ApiServer(config.api(), keys, clock, store, lifecycle,
          config.quotas().invokeModelFamilies());
      api.mount(ConsoleHandler.PREFIX, new ConsoleHandler(config.console(), keys, clock, api.accountJobs(), store,
          PriceTable.load(config.pricesFile())));
      api.start();
      lifecycle.start();
      LOG.info("Quarry control plane listening on {}", api.endpoint());
      return new QuarryControlPlane(store, launcher, lifecycle, api);
    } catch (Exception | Error e) {
      if (lifecycle != null) {
        lifecycle.close();
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
      LOG.warn("No access keys in {}: every API request will be refused until one is created "
          + "(scripts/quarry keys create --data-dir {})", files, config.dataDir());
    }
    return keys;
  }

  private static StoreSettings storeSettings(ControlPlaneConfig config) {
    ControlPlaneConfig.Store s = config.store();
    if (s.jdbcUrl() == null || s.jdbcUrl().isBlank()) {
      return StoreSettings.embedded(config.dataDir().resolve("store"));
    }
    return StoreSettings.builder().jdbcUrl(s.jdbcUrl()).user(s.user()).password(s.password()).build();
  }

  private static JobLauncher launcher(ControlPlaneConfig config) throws Exception {
    ControlPlaneConfig.Flink flink = config.flink();
    switch (flink.mode()) {
      case "embedded":
        return new EmbeddedFlinkLauncher(new EmbeddedFlinkSettings(flink.taskManagers(),
            flink.slotsPerTaskManager(), config.dataDir().resolve("flink")));
      case "remote":
        if (flink.restUrl() == null || flink.restUrl().isBlank()) {
          throw new IllegalArgumentException("quarry.flink.mode=remote needs quarry.flink.rest-url");
        }
        return new RemoteFlinkLauncher(new RemoteFlinkSettings(URI.create(flink.restUrl()), jobJar(flink),
            config.s3(), config.s3Source(), flink.s3Check()));
      default:
        throw new IllegalArgumentException("quarry.flink.mode must be embedded or remote, was " + flink.mode());
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
        Optional<Path> found = jars.filter(p -> p.getFileName().toString().matches("quarry-job-.*-flink\\.jar")).findFirst();
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

  public JobLifecycle lifecycle() {
    return lifecycle;
  }

  @Override
  public void close() {
    api.close();
    lifecycle.close();
    launcher.close();
    store.close();
  }

  /** Runs with {@code conf/quarry.properties} (or the file given as the first argument) until interrupted. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "conf/quarry.properties");
    ControlPlaneConfig config = ControlPlaneConfig.from(ConfigSource.load(file));
    QuarryControlPlane plane = start(config);
    System.out.println("control-plane: " + plane.endpoint());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      plane.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
