package dev.quarry.controlplane.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.controlplane.cluster.ClusterS3Check;
import dev.quarry.controlplane.cluster.S3CheckMode;
import dev.quarry.controlplane.cluster.S3SettingMismatch;
import dev.quarry.job.QuarryJob;
import dev.quarry.job.pipeline.BatchInferencePipeline;
import dev.quarry.job.spec.BedrockEndpoint;
import dev.quarry.job.spec.JobSpec;
import dev.quarry.job.spec.StatusStoreAddress;
import dev.quarry.job.stop.StopMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on a remote Flink session cluster through its REST API. The control plane builds each
 * job's graph itself, as the embedded launcher does, and submits it with the shaded job jar through
 * {@code POST /jobs} (Flink's {@code RestClusterClient}), which works with the cluster's web
 * submission ({@code web.submit.enable}, i.e. {@code /jars/upload} and {@code /jars/:id/run})
 * turned off. The spec travels inside the graph's functions, not as program arguments, and holds
 * only references to secrets ({@code env:}/{@code file:}), which the cluster's TaskManagers
 * resolve.
 *
 * <p>The cluster keeps running when the control plane restarts, so a restarted control plane simply
 * finds its jobs again by their Flink job ids. The cluster's own configuration decides checkpoint
 * storage (and must retain checkpoints on cancellation), S3 access and the plugins.
 *
 * <p>Because the cluster's S3 settings are its own, they are read from {@code GET
 * /jobmanager/config} at start-up (a warning per setting that differs from this control plane's)
 * and again before each launch: a job whose input this control plane validated is not submitted to
 * a cluster that reads another S3, where its JobManager would retry the unreachable endpoint until
 * the submission times out.
 */
public final class RemoteFlinkLauncher implements JobLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteFlinkLauncher.class);
  private static final long STOP_POLL_MILLIS = 500;
  private static final int SUBMIT_ATTEMPTS = 3;

  private final RemoteFlinkSettings settings;
  private final FlinkRestClient rest;
  private final ClusterS3Check s3Check;
  private final ScheduledExecutorService poller;

  public RemoteFlinkLauncher(RemoteFlinkSettings settings) throws IOException {
    if (!Files.isRegularFile(settings.jobJar())) {
      throw new IOException(
          "The job jar "
              + settings.jobJar()
              + " does not exist; build it with "
              + "mvn -B -DskipTests install (it is job/target/quarry-job-*-flink.jar)");
    }
    this.settings = settings;
    this.rest = new FlinkRestClient(settings.restUrl());
    this.s3Check = new ClusterS3Check(settings.s3(), settings.s3Source());
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "quarry-remote-flink");
              t.setDaemon(true);
              return t;
            });
    JsonNode overview = rest.get("overview");
    LOG.info("Remote Flink cluster at {}: {}", settings.restUrl(), overview);
    if (settings.s3Check() != S3CheckMode.OFF) {
      warnOfS3Mismatches();
    }
  }

  private void warnOfS3Mismatches() {
    try {
      List<S3SettingMismatch> mismatches = s3Mismatches();
      for (S3SettingMismatch m : mismatches) {
        LOG.warn(
            "The Flink cluster at {} reads S3 differently from this control plane: {}. {}",
            settings.restUrl(),
            m.describe(),
            settings.s3Check() == S3CheckMode.FAIL
                ? "Jobs fail before they are submitted until the two agree (or quarry.flink.s3-check=warn)."
                : "Jobs are submitted anyway (quarry.flink.s3-check=warn).");
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Cannot read the S3 settings of the Flink cluster at {} (GET /jobmanager/config): {}",
          settings.restUrl(),
          e.getMessage());
    }
  }

  /**
   * What differs now; re-read every time, since the cluster may have been restarted with another
   * config.
   */
  private List<S3SettingMismatch> s3Mismatches() throws IOException {
    JsonNode config = rest.get("jobmanager/config");
    if (config == null) {
      throw new IOException("the cluster does not answer GET /jobmanager/config");
    }
    return s3Check.compare(ClusterS3Check.parse(config));
  }

  /**
   * Fails the launch when the cluster reads another S3 (and the check is on), before anything is
   * sent.
   */
  private void checkS3(JobSpec spec) throws LaunchException {
    if (settings.s3Check() == S3CheckMode.OFF) {
      return;
    }
    List<S3SettingMismatch> mismatches;
    try {
      mismatches = s3Mismatches();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Cannot read the S3 settings of the Flink cluster at {} before launching job {}: {}",
          settings.restUrl(),
          spec.jobId(),
          e.getMessage());
      return; // the submission that follows reports an unreachable cluster itself
    }
    if (mismatches.isEmpty()) {
      return;
    }
    String what =
        mismatches.stream().map(S3SettingMismatch::describe).collect(Collectors.joining("; "));
    if (settings.s3Check() == S3CheckMode.WARN) {
      LOG.warn(
          "Job {} is submitted to the Flink cluster at {}, which reads S3 differently: {}",
          spec.jobId(),
          settings.restUrl(),
          what);
      return;
    }
    throw new LaunchException(
        "The Flink cluster at "
            + settings.restUrl()
            + " reads another S3 than this control "
            + "plane, so the job was not submitted: "
            + what
            + ". Make the cluster's config.yaml and the control plane's "
            + "S3 settings agree, or set quarry.flink.s3-check=warn if both reach the same S3 by different names",
        null);
  }

  @Override
  public synchronized String launch(JobSpec spec, String restoreFrom) throws LaunchException {
    try {
      requireRemoteSecrets(spec.bedrock(), spec.statusStore());
    } catch (IllegalArgumentException e) {
      throw new LaunchException(e.getMessage(), e);
    }
    checkS3(spec);
    try {
      Configuration conf = new Configuration();
      if (restoreFrom != null) {
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
      }
      // An unreachable cluster is reported after a few attempts instead of the client's default 20.
      conf.set(RestOptions.RETRY_MAX_ATTEMPTS, SUBMIT_ATTEMPTS);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createRemoteEnvironment(
              settings.restUrl().getHost(),
              port(settings.restUrl()),
              conf,
              settings.jobJar().toAbsolutePath().toString());
      BatchInferencePipeline.build(env, spec, QuarryJob.reporterFactory(spec));
      return env.executeAsync(QuarryJob.jobName(spec)).getJobID().toHexString();
    } catch (Exception e) {
      throw new LaunchException(
          "The Flink cluster at "
              + settings.restUrl()
              + " did not start job "
              + spec.jobId()
              + ": "
              + rootMessage(e),
          e);
    }
  }

  /**
   * Refuses secrets only this JVM can read: a remote cluster's TaskManagers must find them
   * themselves.
   *
   * @throws IllegalArgumentException naming the settings that need an {@code env:} or {@code file:}
   *     reference
   */
  public static void requireRemoteSecrets(BedrockEndpoint bedrock, StatusStoreAddress statusStore) {
    List<String> missing = new java.util.ArrayList<>();
    if (bedrock.secretAccessKeyRef() != null && bedrock.secretAccessKeyRef().isInProcess()) {
      missing.add("quarry.bedrock.secret-access-key-ref (the Bedrock secret key)");
    }
    if (statusStore != null
        && statusStore.passwordRef() != null
        && statusStore.passwordRef().isInProcess()) {
      missing.add(
          "quarry.store.progress-password-ref (the password of status store user "
              + statusStore.user()
              + ")");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "A remote Flink cluster is never sent secrets, so its TaskManagers must read "
              + "them from their environment or a mounted file: set "
              + String.join(" and ", missing)
              + " to env:NAME or file:/path, and give the TaskManagers that variable or file");
    }
  }

  private static int port(URI restUrl) {
    if (restUrl.getPort() != -1) {
      return restUrl.getPort();
    }
    return "https".equals(restUrl.getScheme()) ? 443 : 80;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return t == root || t.getMessage() == null
        ? message
        : t.getMessage() + " (cause: " + message + ")";
  }

  @Override
  public FlinkJobState state(String flinkJobId) {
    try {
      JsonNode job = rest.get("jobs/" + flinkJobId);
      if (job == null) {
        return FlinkJobState.of(FlinkJobState.Phase.UNKNOWN);
      }
      return switch (job.path("state").asText()) {
        case "FINISHED" -> FlinkJobState.of(FlinkJobState.Phase.FINISHED);
        case "CANCELED" -> FlinkJobState.of(FlinkJobState.Phase.CANCELED);
        case "FAILED" -> FlinkJobState.failed(failureCause(flinkJobId));
        default -> FlinkJobState.of(FlinkJobState.Phase.RUNNING);
      };
    } catch (IOException e) {
      // The cluster is unreachable for now: the job is not known to have ended.
      LOG.warn("Cannot reach the Flink cluster for job {}: {}", flinkJobId, e.getMessage());
      return FlinkJobState.of(FlinkJobState.Phase.RUNNING);
    }
  }

  private String failureCause(String flinkJobId) {
    try {
      return FlinkFailureCause.from(rest.get("jobs/" + flinkJobId + "/exceptions"));
    } catch (IOException e) {
      return FlinkFailureCause.UNKNOWN;
    }
  }

  @Override
  public CompletableFuture<Void> stop(String flinkJobId, JobSpec spec) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      StopMarker.of(spec).request();
    } catch (IOException e) {
      LOG.warn(
          "Could not write the stop marker of job {}; it drains what is buffered", spec.jobId(), e);
    }
    try {
      ObjectNode body = FlinkRestClient.json().createObjectNode().put("drain", true);
      JsonNode trigger = rest.post("jobs/" + flinkJobId + "/stop", body);
      String requestId = trigger == null ? "" : trigger.path("request-id").asText();
      if (requestId.isEmpty()) {
        done.completeExceptionally(
            new IOException("Flink did not accept the stop of " + flinkJobId + ": " + trigger));
        return done;
      }
      pollSavepoint(flinkJobId, requestId, done);
    } catch (IOException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  private void pollSavepoint(String flinkJobId, String requestId, CompletableFuture<Void> done) {
    poller.schedule(
        () -> {
          try {
            JsonNode status = rest.get("jobs/" + flinkJobId + "/savepoints/" + requestId);
            if (status != null && "COMPLETED".equals(status.path("status").path("id").asText())) {
              JsonNode failure = status.path("operation").path("failure-cause");
              if (failure.isMissingNode() || failure.isNull()) {
                done.complete(null);
              } else {
                done.completeExceptionally(
                    new IOException("Stop with savepoint failed: " + failure));
              }
              return;
            }
            pollSavepoint(flinkJobId, requestId, done);
          } catch (IOException e) {
            done.completeExceptionally(e);
          }
        },
        STOP_POLL_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * {@code POST /jobs/:jobid/checkpoints}: the cluster triggers one and answers with a request id
   * at once.
   */
  @Override
  public void requestCheckpoint(String flinkJobId) {
    try {
      rest.post(
          "jobs/" + flinkJobId + "/checkpoints",
          FlinkRestClient.json().createObjectNode().put("checkpointType", "CONFIGURED"));
    } catch (IOException e) {
      LOG.debug(
          "Could not ask the Flink cluster for a checkpoint of {}: {}", flinkJobId, e.getMessage());
    }
  }

  /** The newest completed checkpoint the cluster still knows for a run of this Quarry job. */
  @Override
  public Optional<URI> webUi() {
    return Optional.of(settings.restUrl());
  }

  @Override
  public Optional<String> latestCheckpoint(JobSpec spec) {
    try {
      JsonNode overview = rest.get("jobs/overview");
      if (overview == null) {
        return Optional.empty();
      }
      String name = QuarryJob.jobName(spec);
      String best = null;
      long bestTime = Long.MIN_VALUE;
      for (JsonNode job : overview.path("jobs")) {
        if (!name.equals(job.path("name").asText())) {
          continue;
        }
        JsonNode checkpoints = rest.get("jobs/" + job.path("jid").asText() + "/checkpoints");
        JsonNode latest = checkpoints == null ? null : checkpoints.path("latest").path("completed");
        if (latest != null
            && latest.hasNonNull("external_path")
            && latest.path("latest_ack_timestamp").asLong() > bestTime) {
          best = latest.path("external_path").asText();
          bestTime = latest.path("latest_ack_timestamp").asLong();
        }
      }
      return Optional.ofNullable(best);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
