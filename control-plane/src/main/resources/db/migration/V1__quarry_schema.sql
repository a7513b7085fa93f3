-- The status store's schema. It must run unchanged on H2 2.3 (the embedded default) and on
-- PostgreSQL 17 (production), so it sticks to types and syntax both understand: VARCHAR with a
-- length (H2 maps TEXT to a CLOB), BIGINT epoch millis for times, BOOLEAN, and plain constraints.
--
-- SQL contract: dev.quarry.job.progress.JdbcProgressReporter (module job) writes the table
-- job_progress and the final-count columns of jobs (total_record_count, processed_record_count,
-- success_record_count, error_record_count, input_token_count, output_token_count, counts_final)
-- with its own SQL. Renaming any of them here means changing that class too.

CREATE TABLE jobs (
    job_id                 VARCHAR(12)    NOT NULL,
    job_arn                VARCHAR(1011)  NOT NULL,
    -- The account field of job_arn: client request tokens are unique per account, not globally,
    -- so one account can never learn another's job through a guessed token.
    account_id             VARCHAR(64)    NOT NULL,
    job_name               VARCHAR(63)    NOT NULL,
    model_id               VARCHAR(2048)  NOT NULL,
    role_arn               VARCHAR(2048)  NOT NULL,
    client_request_token   VARCHAR(256),
    status                 VARCHAR(32)    NOT NULL,
    message                VARCHAR(2048),
    submit_time            BIGINT         NOT NULL,
    last_modified_time     BIGINT         NOT NULL,
    end_time               BIGINT,
    -- The request's JSON objects, verbatim, so Get returns exactly what Create was sent.
    -- The API bounds them to a few KB; 65535 is a VARCHAR length both databases accept.
    input_config_json      VARCHAR(65535) NOT NULL,
    output_config_json     VARCHAR(65535) NOT NULL,
    vpc_config_json        VARCHAR(65535),
    timeout_hours          INTEGER,
    job_expiration_time    BIGINT,
    model_invocation_type  VARCHAR(32),
    total_record_count     BIGINT,
    -- Final counts, written once by the job when it finishes (counts_final = TRUE). Until then the
    -- live counts are the sums over job_progress.
    processed_record_count BIGINT,
    success_record_count   BIGINT,
    error_record_count     BIGINT,
    input_token_count      BIGINT,
    output_token_count     BIGINT,
    counts_final           BOOLEAN        DEFAULT FALSE NOT NULL,
    flink_job_id           VARCHAR(256),
    stop_requested         BOOLEAN        DEFAULT FALSE NOT NULL,
    -- Bumped by every change the control plane makes, for conditional updates.
    version                BIGINT         NOT NULL,
    CONSTRAINT jobs_pk PRIMARY KEY (job_id),
    CONSTRAINT jobs_arn_uq UNIQUE (job_arn),
    -- Create is idempotent on the token: the database, not a read-then-write, settles a race.
    -- Both databases let many rows have a NULL token.
    CONSTRAINT jobs_token_uq UNIQUE (account_id, client_request_token),
    CONSTRAINT jobs_status_ck CHECK (status IN ('Submitted', 'Validating', 'Scheduled', 'InProgress',
        'Stopping', 'Stopped', 'Completed', 'PartiallyCompleted', 'Failed', 'Expired'))
);

-- List pages by (submit_time, job_id) in either direction; the FIFO queue reads by status.
CREATE INDEX jobs_submit_idx ON jobs (submit_time, job_id);
CREATE INDEX jobs_status_idx ON jobs (status, submit_time, job_id);

-- One row per writer subtask of a running job, with that subtask's absolute counts (so a subtask
-- restored from a checkpoint just overwrites its row). Written by JdbcProgressReporter.
CREATE TABLE job_progress (
    job_id        VARCHAR(12) NOT NULL,
    subtask       INTEGER     NOT NULL,
    processed     BIGINT      NOT NULL,
    success       BIGINT      NOT NULL,
    errors        BIGINT      NOT NULL,
    input_tokens  BIGINT      NOT NULL,
    output_tokens BIGINT      NOT NULL,
    updated_at    BIGINT      NOT NULL,
    CONSTRAINT job_progress_pk PRIMARY KEY (job_id, subtask),
    CONSTRAINT job_progress_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
);

-- Tags of any resource by ARN (today only jobs), as TagResource/UntagResource/ListTagsForResource see them.
CREATE TABLE resource_tags (
    resource_arn VARCHAR(1011) NOT NULL,
    tag_key      VARCHAR(128)  NOT NULL,
    tag_value    VARCHAR(256)  NOT NULL,
    CONSTRAINT resource_tags_pk PRIMARY KEY (resource_arn, tag_key)
);
