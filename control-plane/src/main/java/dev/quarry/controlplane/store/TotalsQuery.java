package dev.quarry.controlplane.store;

import dev.quarry.job.progress.ModelCallCounts;
import dev.quarry.job.progress.ProgressSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link StoreTotals}: four grouped queries over the whole store, whatever its size, made
 * from the names in {@link ProgressSql} (the tables' one contract with the job).
 */
final class TotalsQuery {
  private TotalsQuery() {}

  private static final String STATUS_COUNTS =
      "SELECT account_id, status, COUNT(*) FROM jobs GROUP BY account_id, status";

  private static final List<String> RECORD_COLUMNS =
      List.of("processed", "success", "errors", "input_tokens", "output_tokens");

  private static final List<String> FINAL_COLUMNS =
      List.of(
          "processed_record_count",
          "success_record_count",
          "error_record_count",
          "input_token_count",
          "output_token_count");

  /**
   * Per job, the largest count any run of a writer subtask reported, summed over the subtasks; the
   * final count instead where the job reported a larger one. Then summed per account and model.
   */
  private static final String USAGE = usageSql();

  /** The count columns of a call run that add up (all but its time). */
  private static final List<String> CALL_SUMS =
      ProgressSql.CALL_RUNS.counts().stream().filter(c -> !c.equals("updated_at")).toList();

  private static final String CALLS =
      "SELECT j.model_id, "
          + String.join(", ", CALL_SUMS.stream().map(c -> "SUM(r." + c + ")").toList())
          + " FROM "
          + ProgressSql.CALL_RUNS.name()
          + " r JOIN jobs j ON j.job_id = r.job_id GROUP BY j.model_id";

  private static final String ERRORS =
      "SELECT j.model_id, e.status_code, SUM(e.calls) FROM "
          + ProgressSql.CALL_ERRORS.name()
          + " e JOIN jobs j ON j.job_id = e.job_id GROUP BY j.model_id, e.status_code";

  private static String usageSql() {
    StringBuilder perSubtask = new StringBuilder("SELECT job_id, subtask");
    StringBuilder perJob = new StringBuilder("SELECT job_id");
    StringBuilder perModel = new StringBuilder("SELECT j.account_id, j.model_id");
    for (int i = 0; i < RECORD_COLUMNS.size(); i++) {
      String c = RECORD_COLUMNS.get(i);
      perSubtask.append(", MAX(").append(c).append(") AS ").append(c);
      perJob.append(", SUM(").append(c).append(") AS ").append(c);
      String live = "COALESCE(r." + c + ", 0)";
      perModel
          .append(", SUM(CASE WHEN j.counts_final THEN GREATEST(COALESCE(j.")
          .append(FINAL_COLUMNS.get(i))
          .append(", 0), ")
          .append(live)
          .append(") ELSE ")
          .append(live)
          .append(" END)");
    }
    perSubtask
        .append(" FROM ")
        .append(ProgressSql.PROGRESS_RUNS.name())
        .append(" GROUP BY job_id, subtask");
    perJob.append(" FROM (").append(perSubtask).append(") s GROUP BY job_id");
    return perModel
        .append(" FROM jobs j LEFT JOIN (")
        .append(perJob)
        .append(") r ON r.job_id = j.job_id GROUP BY j.account_id, j.model_id")
        .toString();
  }

  static StoreTotals read(Connection c) throws SQLException {
    List<StoreTotals.StatusCount> jobs = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(STATUS_COUNTS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        jobs.add(
            new StoreTotals.StatusCount(
                rs.getString(1), JobStatus.fromWireName(rs.getString(2)), rs.getLong(3)));
      }
    }
    List<StoreTotals.Usage> usage = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(USAGE);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        usage.add(
            new StoreTotals.Usage(
                rs.getString(1),
                rs.getString(2),
                new JobCounts(
                    rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7))));
      }
    }
    Map<String, Map<Integer, Long>> errors = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(ERRORS);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        errors
            .computeIfAbsent(rs.getString(1), m -> new HashMap<>())
            .put(rs.getInt(2), rs.getLong(3));
      }
    }
    Map<String, ModelCallCounts> calls = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(CALLS);
        ResultSet rs = s.executeQuery()) {
      int buckets = ProgressSql.LATENCY_BOUNDS_MILLIS.size();
      while (rs.next()) {
        String model = rs.getString(1);
        List<Long> latency = new ArrayList<>(buckets);
        for (long bound : ProgressSql.LATENCY_BOUNDS_MILLIS) {
          latency.add(sum(rs, ProgressSql.latencyColumn(bound)));
        }
        calls.put(
            model,
            new ModelCallCounts(
                sum(rs, "calls"),
                sum(rs, "throttled"),
                sum(rs, "retries"),
                sum(rs, "answered"),
                sum(rs, "latency_sum_micros"),
                latency,
                errors.getOrDefault(model, Map.of())));
      }
    }
    return new StoreTotals(jobs, usage, calls);
  }

  /** The sum of a call-run column in a row of {@link #CALLS} (the model id comes first). */
  private static long sum(ResultSet rs, String column) throws SQLException {
    return rs.getLong(2 + CALL_SUMS.indexOf(column));
  }
}
