-- Model quotas shared by the running jobs (same H2/PostgreSQL rules as V1).
--
-- SQL contract: dev.quarry.job.quota.QuotaTables (module job) reads model_quota_grants and writes the
-- rate columns of job_progress below; dev.quarry.controlplane.quota writes the grants and the learned
-- rates. Renaming any of them here means changing those classes too.

-- Each invoke subtask's rate figures, on the row its output writer reports counts to: the request rate
-- it may send now (per minute), the calls it sent and how many were answered 429 (absolute, retries
-- included), and whether calls lately waited for the rate (it could use more).
ALTER TABLE job_progress ADD COLUMN allowed_rpm DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE job_progress ADD COLUMN calls BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE job_progress ADD COLUMN throttled_calls BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE job_progress ADD COLUMN rate_limited BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE job_progress ADD COLUMN rate_updated_at BIGINT DEFAULT 0 NOT NULL;

-- A running job's share of its model's budget, recomputed by the control plane every period and when
-- jobs start or end. 0 means no limit of that kind.
CREATE TABLE model_quota_grants (
    job_id              VARCHAR(12)      NOT NULL,
    model_id            VARCHAR(2048)    NOT NULL,
    weight              INTEGER          NOT NULL,
    requests_per_minute DOUBLE PRECISION NOT NULL,
    tokens_per_minute   DOUBLE PRECISION NOT NULL,
    reason              VARCHAR(512)     NOT NULL,
    updated_at          BIGINT           NOT NULL,
    CONSTRAINT model_quota_grants_pk PRIMARY KEY (job_id),
    CONSTRAINT model_quota_grants_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id)
);

-- The request rate (per minute) the adaptive control last found for a model whose limit nobody told
-- Quarry: where the next job on that model starts, across jobs and restarts.
CREATE TABLE model_learned_rates (
    model_id            VARCHAR(2048)    NOT NULL,
    requests_per_minute DOUBLE PRECISION NOT NULL,
    updated_at          BIGINT           NOT NULL,
    CONSTRAINT model_learned_rates_pk PRIMARY KEY (model_id)
);
