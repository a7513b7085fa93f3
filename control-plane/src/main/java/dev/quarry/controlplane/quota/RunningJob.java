package dev.quarry.controlplane.quota;

import java.util.Objects;

/** A job that runs (InProgress) as the quota sees it: its model and its priority. */
record RunningJob(String jobId, String modelId, Priority priority) {
  RunningJob {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(priority, "priority");
  }
}
