-- What the item was tagged when a person corrected it (the model's and rules' answer, copied
-- from the item's first correction when it had been corrected before): a workspace's own
-- precision is measured on it. NULL for corrections recorded before this column existed.
ALTER TABLE corrections ADD COLUMN model_performance BOOLEAN;
ALTER TABLE corrections ADD COLUMN model_reliability BOOLEAN;
ALTER TABLE corrections ADD COLUMN model_version TEXT;

-- One row per background retrain on people's corrections, numbered 1, 2, ...: inserting row
-- `seq` is the claim, so exactly one replica retrains a batch. `through_correction` is the
-- highest correction id the batch includes; the next batch counts corrections after it.
-- status: running (claimed; `claim` fences a takeover after a crash), activated, rejected
-- (not better than the active model, or too few corrections to check), failed.
CREATE TABLE retrains (
    seq INTEGER PRIMARY KEY NOT NULL,
    through_correction INTEGER NOT NULL,
    claim TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    model_version TEXT,
    report TEXT,
    finished_at INTEGER
);
CREATE INDEX retrains_model ON retrains (model_version);
