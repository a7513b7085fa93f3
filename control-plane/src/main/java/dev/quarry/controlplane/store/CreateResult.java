package dev.quarry.controlplane.store;

import java.util.Objects;

/**
 * The outcome of {@link JobStore#createIfAbsent}.
 *
 * @param job the stored job: the new one, or the one an earlier request with the same token created
 * @param created whether this call created it
 */
public record CreateResult(JobRecord job, boolean created) {

  public CreateResult {
    Objects.requireNonNull(job, "job");
  }
}
