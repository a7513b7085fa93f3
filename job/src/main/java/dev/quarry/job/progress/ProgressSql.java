package dev.quarry.job.progress;

import java.util.List;

/**
 * The SQL the job's {@link JdbcProgressReporter} runs, and every table and column it touches. The
 * control plane grants the job's database role exactly these columns (and nothing else), so the
 * statements and the grants are made from the same lists and cannot drift apart.
 *
 * <p>The tables are created by the control plane's migration ({@code
 * control-plane/src/main/resources/ db/migration}); a change of a name there must be made here too.
 * The SQL runs unchanged on H2 and PostgreSQL.
 */
public final class ProgressSql {
  private ProgressSql() {}

  /** One row per writer subtask of a running job. */
  public static final String PROGRESS_TABLE = "job_progress";

  /** The key of a progress row: read (in WHERE) and inserted. */
  public static final List<String> PROGRESS_KEY = List.of("job_id", "subtask");

  /** The counts of a progress row: inserted and updated. */
  public static final List<String> PROGRESS_COUNTS =
      List.of("processed", "success", "errors", "input_tokens", "output_tokens", "updated_at");

  /** The jobs the control plane manages; the job writes only its final counts there. */
  public static final String JOBS_TABLE = "jobs";

  /** The key of a job: read (in WHERE) only. */
  public static final List<String> JOBS_KEY = List.of("job_id");

  /** The final-count columns of a job: updated only. */
  public static final List<String> FINAL_COUNTS =
      List.of(
          "total_record_count",
          "processed_record_count",
          "success_record_count",
          "error_record_count",
          "input_token_count",
          "output_token_count",
          "counts_final");

  static final String UPDATE_SUBTASK =
      "UPDATE "
          + PROGRESS_TABLE
          + " SET "
          + String.join(" = ?, ", PROGRESS_COUNTS)
          + " = ? WHERE "
          + String.join(" = ? AND ", PROGRESS_KEY)
          + " = ?";
  static final String INSERT_SUBTASK =
      "INSERT INTO "
          + PROGRESS_TABLE
          + " ("
          + String.join(", ", PROGRESS_COUNTS)
          + ", "
          + String.join(", ", PROGRESS_KEY)
          + ") VALUES ("
          + "?, ".repeat(PROGRESS_COUNTS.size() + PROGRESS_KEY.size() - 1)
          + "?)";

  /** The counts bound as parameters, then {@code counts_final = TRUE}. */
  static final String UPDATE_FINAL =
      "UPDATE "
          + JOBS_TABLE
          + " SET "
          + String.join(" = ?, ", FINAL_COUNTS.subList(0, FINAL_COUNTS.size() - 1))
          + " = ?, "
          + FINAL_COUNTS.get(FINAL_COUNTS.size() - 1)
          + " = TRUE WHERE "
          + JOBS_KEY.get(0)
          + " = ?";
}
