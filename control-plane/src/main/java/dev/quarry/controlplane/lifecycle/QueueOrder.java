package dev.quarry.controlplane.lifecycle;

import dev.quarry.controlplane.quota.Priority;
import dev.quarry.controlplane.store.JobRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order in which {@code Scheduled} jobs take free slots: higher {@code quarry:priority} first,
 * then first come, first served, so a {@code high} job does not wait behind a queue of batch
 * backfill while two {@code normal} jobs still start in the order they were submitted.
 */
final class QueueOrder {
  private QueueOrder() {}

  /**
   * {@code scheduled} (oldest first, as the store lists them) reordered by priority; the sort is
   * stable, so submission order holds within one priority.
   */
  static List<JobRecord> order(
      List<JobRecord> scheduled, Function<JobRecord, Priority> priorityOf) {
    List<JobRecord> out = new ArrayList<>(scheduled);
    out.sort(Comparator.comparingInt((JobRecord job) -> priorityOf.apply(job).weight()).reversed());
    return out;
  }
}
