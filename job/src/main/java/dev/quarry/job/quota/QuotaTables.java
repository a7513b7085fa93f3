package dev.quarry.job.quota;

/**
 * The SQL contract of model quotas between the control plane, which divides each model's budget
 * into grants, and the running jobs, which follow their grant and report what they send.
 *
 * <p>The tables are created by the control plane's migration ({@code
 * db/migration/V2__model_quota.sql}); the control plane's {@code dev.quarry.controlplane.quota}
 * package writes {@value #GRANTS} and reads the rate columns of {@code job_progress} that the
 * statements here write. A name changed there must be changed here. The SQL runs unchanged on H2
 * and PostgreSQL.
 */
public final class QuotaTables {
  private QuotaTables() {}

  /** One row per running job: its share of its model's budget. */
  public static final String GRANTS = "model_quota_grants";

  /** One row per model: the request rate the adaptive control last found for it. */
  public static final String LEARNED_RATES = "model_learned_rates";

  /** What a job reads of its grant row: the grant role's SELECT columns. */
  public static final java.util.List<String> GRANT_COLUMNS =
      java.util.List.of("job_id", "requests_per_minute", "tokens_per_minute");

  /**
   * The columns of {@code job_progress} a job's rate reports write (besides the progress key and
   * counts).
   */
  public static final java.util.List<String> RATE_COLUMNS =
      java.util.List.of(
          "allowed_rpm", "calls", "throttled_calls", "rate_limited", "rate_updated_at");

  /** The job's grant; no row means the control plane has not (yet) divided a budget for it. */
  public static final String SELECT_GRANT =
      "SELECT requests_per_minute, tokens_per_minute FROM " + GRANTS + " WHERE job_id = ?";

  /**
   * One subtask's rate figures on its progress row; the count columns belong to the output writer,
   * which writes them with its own statements, so each side only ever sets its own columns.
   */
  public static final String UPDATE_RATE =
      "UPDATE job_progress SET allowed_rpm = ?, calls = ?, throttled_calls = ?, rate_limited = ?,"
          + " rate_updated_at = ? WHERE job_id = ? AND subtask = ?";

  /** The same, for a subtask whose writer has not reported yet: counts start at zero. */
  public static final String INSERT_RATE =
      "INSERT INTO job_progress (processed, success, errors, input_tokens, output_tokens, updated_at,"
          + " allowed_rpm, calls, throttled_calls, rate_limited, rate_updated_at, job_id, subtask)"
          + " VALUES (0, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?)";
}
