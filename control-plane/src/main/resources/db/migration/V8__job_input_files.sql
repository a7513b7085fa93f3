-- The input listing validation counted, one row per file (same H2/PostgreSQL rules as V1): the job's
-- source reads its splits from here instead of listing S3 again, so it reads exactly the objects
-- whose records total_record_count covers, and a prefix is listed once per job.
--
-- SQL contract: dev.quarry.job.listing.InputListingTable (module job) names the table and its
-- columns and holds every statement on it. The control plane writes a job's rows when validation
-- passes (replacing any an earlier validation left, in the transaction that sets total_record_count)
-- and deletes them in the transaction that moves the job to a terminal status; the progress role
-- may only read them (ProgressRole). Renaming anything here means changing that class too.
CREATE TABLE job_input_files (
    job_id      VARCHAR(12)   NOT NULL,
    -- 0, 1, …: the order validation listed the files in (path order), which the source keeps.
    ordinal     INTEGER       NOT NULL,
    -- As Flink's file systems name it, e.g. s3://bucket/prefix/part-0.jsonl (an S3 key is at most
    -- 1,024 bytes; a local path at most 4,096).
    path        VARCHAR(4096) NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    -- Epoch milliseconds, as listed.
    modified_at BIGINT        NOT NULL,
    -- Non-blank lines validation counted in the file.
    records     BIGINT        NOT NULL,
    CONSTRAINT job_input_files_pk PRIMARY KEY (job_id, ordinal),
    CONSTRAINT job_input_files_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
);
