package dev.quarry.controlplane.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What {@link JobStore#list} returns: filters, order and page (Bedrock's ListModelInvocationJobs
 * query).
 *
 * <p>Filters combine with AND; an unset filter matches every job.
 */
public final class JobQuery {
  /** Bedrock's upper bound of {@code maxResults}. */
  public static final int MAX_RESULTS_LIMIT = 1000;

  private final String accountId;
  private final Instant submitTimeAfter;
  private final Instant submitTimeBefore;
  private final JobStatus statusEquals;
  private final String nameContains;
  private final SortOrder sortOrder;
  private final int maxResults;
  private final String nextToken;

  private JobQuery(Builder b) {
    this.accountId = b.accountId;
    this.submitTimeAfter =
        b.submitTimeAfter == null ? null : b.submitTimeAfter.truncatedTo(ChronoUnit.MILLIS);
    this.submitTimeBefore =
        b.submitTimeBefore == null ? null : b.submitTimeBefore.truncatedTo(ChronoUnit.MILLIS);
    this.statusEquals = b.statusEquals;
    this.nameContains = b.nameContains;
    this.sortOrder = Objects.requireNonNull(b.sortOrder, "sortOrder");
    this.maxResults = b.maxResults;
    this.nextToken = b.nextToken;
    if (maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
      throw new IllegalArgumentException(
          "maxResults must be between 1 and " + MAX_RESULTS_LIMIT + ", was " + maxResults);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .accountId(accountId)
        .submitTimeAfter(submitTimeAfter)
        .submitTimeBefore(submitTimeBefore)
        .statusEquals(statusEquals)
        .nameContains(nameContains)
        .sortOrder(sortOrder)
        .maxResults(maxResults)
        .nextToken(nextToken);
  }

  /**
   * Only jobs of this account (the caller's, when requests are signed), or {@code null} for all.
   */
  public String accountId() {
    return accountId;
  }

  /** Only jobs submitted strictly after this time, or {@code null}. */
  public Instant submitTimeAfter() {
    return submitTimeAfter;
  }

  /** Only jobs submitted strictly before this time, or {@code null}. */
  public Instant submitTimeBefore() {
    return submitTimeBefore;
  }

  /** Only jobs in this status, or {@code null}. */
  public JobStatus statusEquals() {
    return statusEquals;
  }

  /** Only jobs whose name contains this text (case-sensitive), or {@code null}. */
  public String nameContains() {
    return nameContains;
  }

  /** Order by submit time (then job id); descending unless set. */
  public SortOrder sortOrder() {
    return sortOrder;
  }

  /** The most jobs on one page, 1 to {@value #MAX_RESULTS_LIMIT}; 100 unless set. */
  public int maxResults() {
    return maxResults;
  }

  /** The previous page's {@code nextToken}, or {@code null} for the first page. */
  public String nextToken() {
    return nextToken;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobQuery q
        && Objects.equals(accountId, q.accountId)
        && Objects.equals(submitTimeAfter, q.submitTimeAfter)
        && Objects.equals(submitTimeBefore, q.submitTimeBefore)
        && statusEquals == q.statusEquals
        && Objects.equals(nameContains, q.nameContains)
        && sortOrder == q.sortOrder
        && maxResults == q.maxResults
        && Objects.equals(nextToken, q.nextToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        accountId,
        submitTimeAfter,
        submitTimeBefore,
        statusEquals,
        nameContains,
        sortOrder,
        maxResults,
        nextToken);
  }

  @Override
  public String toString() {
    return "JobQuery[accountId="
        + accountId
        + ", submitTimeAfter="
        + submitTimeAfter
        + ", submitTimeBefore="
        + submitTimeBefore
        + ", statusEquals="
        + statusEquals
        + ", nameContains="
        + nameContains
        + ", sortOrder="
        + sortOrder
        + ", maxResults="
        + maxResults
        + ", nextToken="
        + nextToken
        + "]";
  }

  /** Builds a {@link JobQuery}. */
  public static final class Builder {
    private String accountId;
    private Instant submitTimeAfter;
    private Instant submitTimeBefore;
    private JobStatus statusEquals;
    private String nameContains;
    private SortOrder sortOrder = SortOrder.DESCENDING;
    private int maxResults = 100;
    private String nextToken;

    private Builder() {}

    public Builder accountId(String accountId) {
      this.accountId = accountId;
      return this;
    }

    public Builder submitTimeAfter(Instant submitTimeAfter) {
      this.submitTimeAfter = submitTimeAfter;
      return this;
    }

    public Builder submitTimeBefore(Instant submitTimeBefore) {
      this.submitTimeBefore = submitTimeBefore;
      return this;
    }

    public Builder statusEquals(JobStatus statusEquals) {
      this.statusEquals = statusEquals;
      return this;
    }

    public Builder nameContains(String nameContains) {
      this.nameContains = nameContains;
      return this;
    }

    /** The order; {@code null} means the default, descending. */
    public Builder sortOrder(SortOrder sortOrder) {
      this.sortOrder = sortOrder == null ? SortOrder.DESCENDING : sortOrder;
      return this;
    }

    public Builder maxResults(int maxResults) {
      this.maxResults = maxResults;
      return this;
    }

    public Builder nextToken(String nextToken) {
      this.nextToken = nextToken;
      return this;
    }

    public JobQuery build() {
      return new JobQuery(this);
    }
  }
}
