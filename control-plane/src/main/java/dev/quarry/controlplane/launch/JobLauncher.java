package dev.quarry.controlplane.launch;

import dev.quarry.job.spec.JobSpec;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Runs Quarry jobs on a Flink cluster: the embedded MiniCluster, or a remote one. */
public interface JobLauncher extends AutoCloseable {

  /**
   * Submits a job.
   *
   * @param restoreFrom a retained checkpoint or savepoint to resume from, or {@code null} to start
   *     fresh
   * @return the Flink job id, by which the other methods find the job
   */
  String launch(JobSpec spec, String restoreFrom) throws LaunchException;

  /** What the cluster says about the job now. */
  FlinkJobState state(String flinkJobId);

  /**
   * Stops a running job so that everything processed so far is committed and the manifest describes
   * it; completes when the job has stopped.
   */
  CompletableFuture<Void> stop(String flinkJobId, JobSpec spec);

  /**
   * Asks for a checkpoint now rather than at the next interval, without waiting for it. A job whose
   * input is all processed commits its output and finishes with the next checkpoint that completes.
   */
  void requestCheckpoint(String flinkJobId);

  /** Where people can look at the cluster's jobs in Flink's web UI, if it has one. */
  Optional<URI> webUi();

  /** The newest retained checkpoint of this Quarry job, if any, to resume it after a restart. */
  Optional<String> latestCheckpoint(JobSpec spec);

  @Override
  void close();
}
