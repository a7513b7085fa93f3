package dev.quarry.controlplane.store;

import java.util.List;

/**
 * One page of a job listing.
 *
 * @param jobs the jobs of this page, in the query's order
 * @param nextToken the token for the next page, or {@code null} when there are no more
 */
public record JobPage(List<JobRecord> jobs, String nextToken) {

  public JobPage {
    jobs = List.copyOf(jobs);
  }
}
