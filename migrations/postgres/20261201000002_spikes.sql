-- The channel ID Slack answered a post with: chat.update needs it (a row may name a channel).
ALTER TABLE slack_outbox ADD COLUMN slack_channel TEXT;

-- One row per subject (`topic:<slug>`, `category:<name>`) that has spiked: the rise it is in
-- (`rise_key`, the outbox key of its alert), the ratio last announced and when it was last
-- above normal. A new alert only after `alerts.spike_quiet_days` back to normal.
CREATE TABLE spikes (
    subject TEXT PRIMARY KEY,
    rise_key TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    last_abnormal_at BIGINT NOT NULL,
    announced_ratio DOUBLE PRECISION NOT NULL,
    checks BIGINT NOT NULL
);

-- One row per spike check slot (an hour, `2026-12-01T10`): inserting it is the claim, so one
-- replica checks.
CREATE TABLE spike_checks (
    slot TEXT PRIMARY KEY,
    claimed_by TEXT NOT NULL,
    claimed_at BIGINT NOT NULL
);
