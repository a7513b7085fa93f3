-- Whether a model's learned rate is a limit the model showed (a 429 came) or only the fastest rate the
-- jobs used without one: a job starts on the plateau of a found limit, but keeps doubling from a rate
-- that was never refused (same H2/PostgreSQL rules as V1).
ALTER TABLE model_learned_rates ADD COLUMN limit_found BOOLEAN DEFAULT FALSE NOT NULL;
