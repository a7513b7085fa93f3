package dev.quarry.controlplane.launch;

import dev.quarry.job.QuarryJob;
import dev.quarry.job.pipeline.BatchInferencePipeline;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.stop.StopMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on a MiniCluster inside the control plane: the default, one process, no cluster to run.
 *
 * <p>Checkpoints are retained under a folder of the data directory, so a job whose control plane
 * died can be resumed from its newest checkpoint when the control plane comes back.
 */
public final class EmbeddedFlinkLauncher implements JobLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlinkLauncher.class);

  private final EmbeddedFlinkSettings settings;
  private final MiniCluster cluster;
  private final URI restAddress;

  public EmbeddedFlinkLauncher(EmbeddedFlinkSettings settings) throws Exception {
    this.settings = settings;
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, settings.slotsPerTaskManager());
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(settings.taskManagers())
                .setNumSlotsPerTaskManager(settings.slotsPerTaskManager())
                .build());
    cluster.start();
    restAddress = cluster.getRestAddress().get();
  }

  /** The MiniCluster's REST address (its web UI and REST API). */
  public URI restAddress() {
    return restAddress;
  }

  @Override
  public String launch(JobSpec spec, String restoreFrom) throws LaunchException {
    try {
      Configuration conf = new Configuration();
      Path checkpoints = checkpointsDir(spec);
      Files.createDirectories(checkpoints);
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
      conf.set(
          CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
      if (restoreFrom != null) {
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
      }
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createRemoteEnvironment(
              restAddress.getHost(), restAddress.getPort(), conf);
      BatchInferencePipeline.build(env, spec, QuarryJob.reporterFactory(spec));
      JobClient client = env.executeAsync(QuarryJob.jobName(spec));
      return client.getJobID().toHexString();
    } catch (Exception e) {
      throw new LaunchException(
          "Flink did not accept job " + spec.jobId() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public FlinkJobState state(String flinkJobId) {
    JobID id = JobID.fromHexString(flinkJobId);
    JobStatus status;
    try {
      status = cluster.getJobStatus(id).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FlinkJobState.of(FlinkJobState.Phase.RUNNING);
    } catch (ExecutionException e) {
      return FlinkJobState.of(FlinkJobState.Phase.UNKNOWN);
    }
    return switch (status) {
      case FINISHED -> FlinkJobState.of(FlinkJobState.Phase.FINISHED);
      case CANCELED -> FlinkJobState.of(FlinkJobState.Phase.CANCELED);
      case FAILED -> FlinkJobState.failed(failureCause(id));
      default -> FlinkJobState.of(FlinkJobState.Phase.RUNNING);
    };
  }

  private String failureCause(JobID id) {
    try {
      JobResult result = cluster.requestJobResult(id).get();
      return result
          .getSerializedThrowable()
          .map(t -> rootMessage(t.deserializeError(getClass().getClassLoader())))
          .orElse("the Flink job failed");
    } catch (Exception e) {
      return "the Flink job failed";
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return S3ErrorText.redact(t == root ? message : t.getMessage() + " (cause: " + message + ")");
  }

  @Override
  public void requestCheckpoint(String flinkJobId) {
    cluster
        .triggerCheckpoint(JobID.fromHexString(flinkJobId))
        .whenComplete(
            (path, e) -> {
              if (e != null) {
                LOG.debug(
                    "Checkpoint of Flink job {} asked for but not taken: {}",
                    flinkJobId,
                    e.toString());
              }
            });
  }

  @Override
  public CompletableFuture<Void> stop(String flinkJobId, JobSpec spec) {
    try {
      StopMarker.of(spec).request();
    } catch (IOException e) {
      LOG.warn(
          "Could not write the stop marker of job {}; it drains what is buffered", spec.jobId(), e);
    }
    Path savepoints = settings.checkpointsDir().resolve(spec.jobId()).resolve("savepoints");
    return cluster
        .stopWithSavepoint(
            JobID.fromHexString(flinkJobId),
            savepoints.toUri().toString(),
            true,
            SavepointFormatType.CANONICAL)
        .thenApply(location -> null);
  }

  /** None: the MiniCluster serves Flink's REST API but not its web UI (no flink-runtime-web). */
  @Override
  public Optional<URI> webUi() {
    return Optional.empty();
  }

  @Override
  public Optional<String> latestCheckpoint(JobSpec spec) {
    Path dir = checkpointsDir(spec);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    // <dir>/<flink job id>/chk-<n>/_metadata: the newest complete one, across earlier runs of the
    // job.
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(Comparator.comparingLong(EmbeddedFlinkLauncher::modified))
          .map(p -> p.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private Path checkpointsDir(JobSpec spec) {
    return settings.checkpointsDir().resolve(spec.jobId()).resolve("checkpoints");
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      LOG.warn("MiniCluster did not shut down cleanly", e);
    }
  }
}
