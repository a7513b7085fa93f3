package dev.quarry.controlplane.store;

import dev.quarry.job.listing.ValidatedFile;
import dev.quarry.job.spec.StatusStoreAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The status store: every job, its status, counts and tags, shared by all control-plane replicas.
 *
 * <p>A status changes only through {@link #transition}, a conditional write that the database
 * settles, so two replicas can never both move the same job.
 */
public interface JobStore extends AutoCloseable {

  /**
   * Stores a new job, unless its account already has a job with the same client request token: then
   * returns that job with {@code created = false} and stores nothing (Create is idempotent, spec
   * §1.1). The stored version is 1 whatever {@code job.version()} says.
   */
  CreateResult createIfAbsent(JobRecord job);

  /** The job with this id, with its live counts, or empty. */
  Optional<JobRecord> find(String jobId);

  /**
   * One page of the jobs matching {@code query}, with their live counts.
   *
   * @throws InvalidNextTokenException if the query's token was not issued by this store for the
   *     same filters and sort order
   */
  JobPage list(JobQuery query);

  /**
   * Moves a job to {@code to} if, and only if, it is in one of {@code from} right now.
   *
   * <p>Sets the last-modified time to {@code change.at()}, the end time too if {@code to} is
   * terminal, the message if the change has one, and bumps the version. A move to a terminal status
   * deletes the job's {@link #validatedInput} in the same transaction: only a starting job reads
   * it.
   *
   * @return the job after the move, or empty if it was not in a {@code from} status (another
   *     replica or thread moved it first) or does not exist
   * @throws IllegalStateException if the state machine forbids a move from one of {@code from} to
   *     {@code to}
   */
  Optional<JobRecord> transition(
      String jobId, Set<JobStatus> from, JobStatus to, StatusChange change);

  /**
   * Changes fields other than the status, if the job is still at {@code expectedVersion}; bumps the
   * version.
   *
   * <p>{@code changes} gets a builder of the stored job and may set only {@code flinkJobId}, {@code
   * totalRecordCount}, {@code jobExpirationTime}, {@code stopRequested} and {@code
   * lastModifiedTime}; only the fields it changes are written, so counts the job reports meanwhile
   * are not overwritten.
   *
   * @return whether the change was made; false if the job moved past {@code expectedVersion} or
   *     does not exist
   * @throws IllegalArgumentException if {@code changes} touched any other field
   */
  boolean update(String jobId, long expectedVersion, Consumer<JobRecord.Builder> changes);

  /**
   * Records what validation counted, if the job is still Validating: its input files in the order
   * its source will read them (replacing any listing an earlier validation left) and their records
   * as its {@code totalRecordCount}, in one transaction; bumps the version. The job's source reads
   * these files instead of listing the input again; a terminal {@link #transition} deletes them.
   *
   * @return whether the job was still Validating (if not, nothing was written)
   */
  boolean recordValidatedInput(String jobId, List<ValidatedFile> files);

  /**
   * The input files validation recorded for the job, in order; empty if it recorded none or the job
   * has ended.
   */
  List<ValidatedFile> validatedInput(String jobId);

  /** The job {@code accountId} created with this client request token, if any. */
  Optional<JobRecord> findByClientRequestToken(String accountId, String clientRequestToken);

  /**
   * How many of {@code accountId}'s jobs are in any of these statuses now (for per-account quotas).
   */
  int countByStatus(String accountId, Set<JobStatus> statuses);

  /**
   * The jobs in any of these statuses, oldest first (submit time, then job id): the queue and the
   * restart reconciliation.
   */
  List<JobRecord> findByStatus(Set<JobStatus> statuses);

  /** Adds tags to a resource, replacing the values of keys it already has. */
  void tag(String resourceArn, Map<String, String> tags);

  /** Removes these tag keys from a resource; keys it does not have are ignored. */
  void untag(String resourceArn, Collection<String> keys);

  /** The tags of a resource, sorted by key; empty if it has none. */
  Map<String, String> tags(String resourceArn);

  /**
   * Totals over every job in the store, for {@code /metrics}: jobs per account and status, records
   * and tokens per account and model, model calls per model; counts that only grow.
   */
  StoreTotals totals();

  /** The model-call figures of each running (InProgress or Stopping) job that reported any. */
  Map<String, JobCalls> runningJobCalls();

  /**
   * The database address a running job reports its progress to (see {@code
   * JdbcProgressReporterFactory}).
   */
  StatusStoreAddress progressAddress();

  /**
   * The events status changes queued for their destinations (each change queues its event in its
   * own transaction).
   */
  EventOutbox outbox();

  /** Releases the store's connections. */
  @Override
  void close();
}
