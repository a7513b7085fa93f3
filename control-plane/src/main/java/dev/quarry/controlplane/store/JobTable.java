package dev.quarry.controlplane.store;

import dev.quarry.job.spec.RecordFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * How a {@link JobRecord} maps to a row of the {@code jobs} table
 * (db/migration/V1__quarry_schema.sql; {@code record_format} from V6).
 *
 * <p>The final-count columns are also written by the job's {@code JdbcProgressReporter}.
 */
final class JobTable {
  private JobTable() {}

  /** Longest message the API returns (spec §1.3); longer ones, e.g. a stack of causes, are cut. */
  static final int MAX_MESSAGE_LENGTH = 2048;

  static final String COLUMNS =
      "job_id, job_arn, job_name, model_id, role_arn, client_request_token, status, message,"
          + " submit_time, last_modified_time, end_time, input_config_json, output_config_json,"
          + " vpc_config_json, timeout_hours, job_expiration_time, model_invocation_type,"
          + " total_record_count, processed_record_count, success_record_count, error_record_count,"
          + " input_token_count, output_token_count, counts_final, flink_job_id, stop_requested, version,"
          + " record_format";

  /** Counts are not inserted: a new job has none until its Flink job reports them. */
  static final String INSERT =
      "INSERT INTO jobs (job_id, job_arn, account_id, job_name, model_id, role_arn, client_request_token,"
          + " status, message, submit_time, last_modified_time, end_time, input_config_json,"
          + " output_config_json, vpc_config_json, timeout_hours, job_expiration_time,"
          + " model_invocation_type, total_record_count, counts_final, flink_job_id, stop_requested, version,"
          + " record_format)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, 1, ?)";

  static void bindInsert(PreparedStatement s, JobRecord job) throws SQLException {
    int i = 1;
    s.setString(i++, job.jobId());
    s.setString(i++, job.jobArn());
    s.setString(i++, job.accountId());
    s.setString(i++, job.jobName());
    s.setString(i++, job.modelId());
    s.setString(i++, job.roleArn());
    s.setString(i++, job.clientRequestToken());
    s.setString(i++, job.status().wireName());
    s.setString(i++, boundedMessage(job.message()));
    s.setLong(i++, job.submitTime().toEpochMilli());
    s.setLong(i++, job.lastModifiedTime().toEpochMilli());
    setInstant(s, i++, job.endTime());
    s.setString(i++, job.inputConfigJson());
    s.setString(i++, job.outputConfigJson());
    s.setString(i++, job.vpcConfigJson());
    setInteger(s, i++, job.timeoutDurationInHours());
    setInstant(s, i++, job.jobExpirationTime());
    s.setString(i++, job.modelInvocationType());
    setLong(s, i++, job.totalRecordCount());
    s.setString(i++, job.flinkJobId());
    s.setBoolean(i++, job.stopRequested());
    // NULL for Bedrock records, as every job stored before record formats existed
    s.setString(i, job.recordFormat() == RecordFormat.BEDROCK ? null : job.recordFormat().name());
  }

  /**
   * The row under the cursor of a {@code SELECT COLUMNS}: with its final counts if the job reported
   * them, else with no counts (the caller adds the live ones).
   */
  static JobRecord read(ResultSet rs) throws SQLException {
    return JobRecord.builder()
        .jobId(rs.getString("job_id"))
        .jobArn(rs.getString("job_arn"))
        .jobName(rs.getString("job_name"))
        .modelId(rs.getString("model_id"))
        .roleArn(rs.getString("role_arn"))
        .clientRequestToken(rs.getString("client_request_token"))
        .status(JobStatus.fromWireName(rs.getString("status")))
        .message(rs.getString("message"))
        .submitTime(Instant.ofEpochMilli(rs.getLong("submit_time")))
        .lastModifiedTime(Instant.ofEpochMilli(rs.getLong("last_modified_time")))
        .endTime(instant(rs, "end_time"))
        .inputConfigJson(rs.getString("input_config_json"))
        .outputConfigJson(rs.getString("output_config_json"))
        .vpcConfigJson(rs.getString("vpc_config_json"))
        .timeoutDurationInHours(rs.getObject("timeout_hours", Integer.class))
        .jobExpirationTime(instant(rs, "job_expiration_time"))
        .modelInvocationType(rs.getString("model_invocation_type"))
        .totalRecordCount(rs.getObject("total_record_count", Long.class))
        .counts(rs.getBoolean("counts_final") ? finalCounts(rs) : null)
        .flinkJobId(rs.getString("flink_job_id"))
        .stopRequested(rs.getBoolean("stop_requested"))
        .version(rs.getLong("version"))
        .recordFormat(
            rs.getString("record_format") == null
                ? RecordFormat.BEDROCK
                : RecordFormat.valueOf(rs.getString("record_format")))
        .build();
  }

  /**
   * The counts the job reported when it finished, or {@code null} if a column is missing from its
   * report.
   */
  private static JobCounts finalCounts(ResultSet rs) throws SQLException {
    Long processed = rs.getObject("processed_record_count", Long.class);
    Long succeeded = rs.getObject("success_record_count", Long.class);
    Long failed = rs.getObject("error_record_count", Long.class);
    Long inputTokens = rs.getObject("input_token_count", Long.class);
    Long outputTokens = rs.getObject("output_token_count", Long.class);
    if (processed == null
        || succeeded == null
        || failed == null
        || inputTokens == null
        || outputTokens == null) {
      return null;
    }
    return new JobCounts(processed, succeeded, failed, inputTokens, outputTokens);
  }

  static String boundedMessage(String message) {
    return message == null || message.length() <= MAX_MESSAGE_LENGTH
        ? message
        : message.substring(0, MAX_MESSAGE_LENGTH);
  }

  static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value.toEpochMilli());
    }
  }

  static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }

  static void setInteger(PreparedStatement s, int index, Integer value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.INTEGER);
    } else {
      s.setInt(index, value);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Long millis = rs.getObject(column, Long.class);
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
