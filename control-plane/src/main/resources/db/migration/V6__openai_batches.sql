-- The OpenAI Batch API under /v1 (same H2/PostgreSQL rules as V1): its files and batches, and the
-- record format a job reads and writes. Every statement here is dev.quarry.controlplane.store's:
-- JobTable reads and writes jobs.record_format, OpenAiTables the two tables.

-- NULL for Bedrock records; OPENAI_CHAT_COMPLETIONS or OPENAI_EMBEDDINGS for a batch's job.
ALTER TABLE jobs ADD COLUMN record_format VARCHAR(32);

-- Uploaded batch input (purpose 'batch') and the output and error files of batches
-- ('batch_output'). The content is the S3 object at s3_uri, under quarry.openai.files-uri.
CREATE TABLE openai_files (
    file_id     VARCHAR(64)   NOT NULL,
    account_id  VARCHAR(64)   NOT NULL,
    filename    VARCHAR(1024) NOT NULL,
    purpose     VARCHAR(32)   NOT NULL,
    bytes       BIGINT        NOT NULL,
    created_at  BIGINT        NOT NULL,
    s3_uri      VARCHAR(2048) NOT NULL,
    CONSTRAINT openai_files_pk PRIMARY KEY (file_id)
);

-- List pages by (created_at, id) within an account, newest first.
CREATE INDEX openai_files_account_idx ON openai_files (account_id, created_at, file_id);

-- A batch: what Create was sent, the job that runs it once its input passed validation, and the
-- times of the statuses the batch layer saw it reach (epoch millis). status is the batch layer's
-- own word: 'validating' until its job exists, then what it last recorded; once terminal
-- ('completed', 'failed', 'expired', 'cancelled') it is final, before that Get reads the job's.
CREATE TABLE openai_batches (
    batch_id          VARCHAR(64)    NOT NULL,
    account_id        VARCHAR(64)    NOT NULL,
    -- The key that created it: the job is created later, with that key's allow-lists.
    access_key        VARCHAR(128)   NOT NULL,
    endpoint          VARCHAR(64)    NOT NULL,
    completion_window VARCHAR(16)    NOT NULL,
    input_file_id     VARCHAR(64)    NOT NULL,
    model             VARCHAR(2048),
    metadata_json     VARCHAR(65535),
    status            VARCHAR(32)    NOT NULL,
    errors_json       VARCHAR(65535),
    job_id            VARCHAR(12),
    output_file_id    VARCHAR(64),
    error_file_id     VARCHAR(64),
    created_at        BIGINT         NOT NULL,
    expires_at        BIGINT         NOT NULL,
    in_progress_at    BIGINT,
    finalizing_at     BIGINT,
    completed_at      BIGINT,
    failed_at         BIGINT,
    expired_at        BIGINT,
    cancelling_at     BIGINT,
    cancelled_at      BIGINT,
    CONSTRAINT openai_batches_pk PRIMARY KEY (batch_id),
    CONSTRAINT openai_batches_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
);

CREATE INDEX openai_batches_account_idx ON openai_batches (account_id, created_at, batch_id);
-- The batch layer's background pass reads the batches that are not final yet.
CREATE INDEX openai_batches_status_idx ON openai_batches (status);
