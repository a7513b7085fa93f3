package dev.quarry.controlplane.metrics;

/**
 * The names of the series {@code /metrics} serves, as the Prometheus Java client takes them:
 * counters without their {@code _total}, which the text format adds. Dashboards and alerts are
 * written against these; a test checks that every series in {@code conf/grafana} is one of them.
 */
final class MetricNames {
  private MetricNames() {}

  /** Gauge: jobs by {@code account} and {@code status}. */
  static final String JOBS = "quarry_jobs";

  /** Gauge: jobs waiting to run (Submitted or Scheduled). */
  static final String QUEUE_LENGTH = "quarry_job_queue_length";

  /** Counters by {@code account} and {@code model}. */
  static final String RECORDS_PROCESSED = "quarry_records_processed";

  static final String RECORDS_SUCCEEDED = "quarry_records_succeeded";
  static final String RECORDS_FAILED = "quarry_records_failed";
  static final String INPUT_TOKENS = "quarry_input_tokens";
  static final String OUTPUT_TOKENS = "quarry_output_tokens";
  static final String COST = "quarry_estimated_cost_usd";

  /** Counters by {@code model}; errors also by {@code code}. */
  static final String MODEL_CALLS = "quarry_model_calls";

  static final String MODEL_THROTTLED = "quarry_model_throttled_calls";
  static final String MODEL_RETRIES = "quarry_model_call_retries";
  static final String MODEL_ERRORS = "quarry_model_call_errors";

  /** Histogram by {@code model}, in seconds. */
  static final String MODEL_LATENCY = "quarry_model_call_duration_seconds";
}
