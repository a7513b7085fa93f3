-- Per-run reports of running jobs, read by the control plane's /metrics (same H2/PostgreSQL rules as V1).
--
-- SQL contract: dev.quarry.job.progress.ProgressSql (module job) names every table and column here
-- (PROGRESS_RUNS, CALL_RUNS, CALL_ERRORS, LATENCY_BOUNDS_MILLIS); the job writes them with the
-- statements made there, the control plane grants the progress role exactly those columns
-- (ProgressRole) and reads them (JobStore.totals). Renaming any of them here means changing that
-- class too.
--
-- A run is one life of a reporting subtask under a random run_id: from its start, or its restore
-- from a checkpoint, until it ends or fails. Each run writes absolute counts into its own row, so a
-- restored subtask never takes back what the run before it reported: Prometheus counters made from
-- these rows only grow.

-- The output writer's counts per run. job_progress holds the same counts per subtask, rolled back
-- with the writer to its checkpoint on a restore; the largest count any run of a subtask reported
-- only grows, and ends equal to the job's final count.
CREATE TABLE job_progress_runs (
    job_id               VARCHAR(12) NOT NULL,
    subtask              INTEGER     NOT NULL,
    run_id               BIGINT      NOT NULL,
    processed            BIGINT      NOT NULL,
    success              BIGINT      NOT NULL,
    errors               BIGINT      NOT NULL,
    input_tokens         BIGINT      NOT NULL,
    output_tokens        BIGINT      NOT NULL,
    updated_at           BIGINT      NOT NULL,
    CONSTRAINT job_progress_runs_pk PRIMARY KEY (job_id, subtask, run_id),
    CONSTRAINT job_progress_runs_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
);

-- The model calls of one run of a model-call subtask: sent (retries included), answered 429,
-- retried, answered at all, their summed latency (microseconds) and how many were answered within
-- each latency bucket (milliseconds; each bucket counts only the calls above the bucket below it,
-- the calls slower than the last are answered minus the buckets' sum).
CREATE TABLE job_call_runs (
    job_id               VARCHAR(12) NOT NULL,
    subtask              INTEGER     NOT NULL,
    run_id               BIGINT      NOT NULL,
    calls                BIGINT      NOT NULL,
    throttled            BIGINT      NOT NULL,
    retries              BIGINT      NOT NULL,
    answered             BIGINT      NOT NULL,
    latency_sum_micros   BIGINT      NOT NULL,
    latency_le_5ms       BIGINT      NOT NULL,
    latency_le_10ms      BIGINT      NOT NULL,
    latency_le_25ms      BIGINT      NOT NULL,
    latency_le_50ms      BIGINT      NOT NULL,
    latency_le_100ms     BIGINT      NOT NULL,
    latency_le_250ms     BIGINT      NOT NULL,
    latency_le_500ms     BIGINT      NOT NULL,
    latency_le_1000ms    BIGINT      NOT NULL,
    latency_le_2500ms    BIGINT      NOT NULL,
    latency_le_5000ms    BIGINT      NOT NULL,
    latency_le_10000ms   BIGINT      NOT NULL,
    latency_le_30000ms   BIGINT      NOT NULL,
    latency_le_60000ms   BIGINT      NOT NULL,
    latency_le_120000ms  BIGINT      NOT NULL,
    updated_at           BIGINT      NOT NULL,
    CONSTRAINT job_call_runs_pk PRIMARY KEY (job_id, subtask, run_id),
    CONSTRAINT job_call_runs_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
);

-- The failed calls of one run by status code (every failed attempt, 429s and retried 5xx included).
CREATE TABLE job_call_errors (
    job_id               VARCHAR(12) NOT NULL,
    subtask              INTEGER     NOT NULL,
    run_id               BIGINT      NOT NULL,
    status_code          INTEGER     NOT NULL,
    calls                BIGINT      NOT NULL,
    updated_at           BIGINT      NOT NULL,
    CONSTRAINT job_call_errors_pk PRIMARY KEY (job_id, subtask, run_id, status_code),
    CONSTRAINT job_call_errors_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
);
