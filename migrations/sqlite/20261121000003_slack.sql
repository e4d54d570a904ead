-- Messages to post to Slack, durable across restarts. A sender claims due rows by setting
-- status 'sending' and a lease; a crashed sender's rows become due again when it expires.
-- Times are unix seconds (UTC).
CREATE TABLE slack_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    payload TEXT NOT NULL,
    thread_of TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    last_error TEXT,
    slack_ts TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX slack_outbox_due ON slack_outbox (status, next_attempt_at);

-- One row per ISO week (2026-W47): inserting it is the claim to post that week's digest.
CREATE TABLE digests (
    week TEXT NOT NULL UNIQUE,
    claimed_at INTEGER NOT NULL,
    claimed_by TEXT NOT NULL,
    messages INTEGER NOT NULL
);
