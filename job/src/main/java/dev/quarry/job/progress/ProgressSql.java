package dev.quarry.job.progress;

import java.util.List;

/**
 * The SQL the job's progress reports run ({@link JdbcProgressReporter}, {@link ModelCallReporter}),
 * and every table and column they touch. The control plane grants the job's database role exactly
 * these columns (and nothing else), and reads the same names for Get and {@code /metrics}, so the
 * statements, the grants and the readers are made from the same lists and cannot drift apart.
 *
 * <p>The tables are created by the control plane's migrations ({@code
 * control-plane/src/main/resources/db/migration}, the run tables by {@code V4}); a change of a name
 * there must be made here too. The SQL runs unchanged on H2 and PostgreSQL.
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

  /**
   * Upper bounds of the model-call latency buckets, in milliseconds (Prometheus' {@code le}); a
   * call slower than the last lands in the implicit {@code +Inf} bucket. A change here needs a
   * migration that adds or drops the matching {@link #latencyColumn} columns.
   */
  public static final List<Long> LATENCY_BOUNDS_MILLIS =
      List.of(
          5L, 10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L, 10_000L, 30_000L, 60_000L,
          120_000L);

  /**
   * The column counting the calls answered within ({@code bound} of the bucket below it, {@code
   * bound}] milliseconds: the buckets are stored apart, not cumulative.
   */
  public static String latencyColumn(long boundMillis) {
    return "latency_le_" + boundMillis + "ms";
  }

  /**
   * The key of a run row. A run is one life of a reporting subtask, from its start or restore until
   * it ends or fails, under a random id: a restored subtask reports into a new row and never
   * overwrites what the run before it reported, so what was counted before a failover stays
   * counted.
   */
  public static final List<String> RUN_KEY = List.of("job_id", "subtask", "run_id");

  /**
   * The output writer's absolute counts, one row per run (beside its {@code job_progress} row,
   * which a restored writer rolls back to the checkpoint's counts). The largest count any run of a
   * subtask reported only ever grows, which is what a Prometheus counter needs.
   */
  public static final ReportTable PROGRESS_RUNS =
      new ReportTable("job_progress_runs", RUN_KEY, PROGRESS_COUNTS);

  /**
   * What one run of a model-call subtask did: calls sent (retries included), answered 429, retried,
   * answered at all, their summed latency and its histogram. A run counts from zero, so the sum
   * over a job's runs counts every call made, re-invocations after a failover included.
   */
  public static final ReportTable CALL_RUNS =
      new ReportTable("job_call_runs", RUN_KEY, callRunCounts());

  /** Failed calls of one run by status code (429 included: every failed attempt counts). */
  public static final ReportTable CALL_ERRORS =
      new ReportTable(
          "job_call_errors",
          List.of("job_id", "subtask", "run_id", "status_code"),
          List.of("calls", "updated_at"));

  /** The tables reports write one row per run into. */
  public static final List<ReportTable> RUN_TABLES = List.of(PROGRESS_RUNS, CALL_RUNS, CALL_ERRORS);

  private static List<String> callRunCounts() {
    List<String> columns =
        new java.util.ArrayList<>(
            List.of("calls", "throttled", "retries", "answered", "latency_sum_micros"));
    for (long bound : LATENCY_BOUNDS_MILLIS) {
      columns.add(latencyColumn(bound));
    }
    columns.add("updated_at");
    return List.copyOf(columns);
  }

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
