-- Socket Mode redelivery (issue 23): Slack may deliver an envelope again (`retry_attempt`) to any
-- connection of any replica. The first replica to insert an envelope's key (`envelope:<id>`, and
-- `event:<event_id>` for events) handles it; the others only acknowledge. A key older than
-- slack.socket_dedupe_ttl_secs may be claimed again and is deleted by the next purge.
-- Times are unix seconds (UTC).
CREATE TABLE slack_claims (
    claim_key TEXT PRIMARY KEY NOT NULL,
    claimed_at INTEGER NOT NULL,
    claimed_by TEXT NOT NULL
);
CREATE INDEX slack_claims_claimed_at ON slack_claims (claimed_at);
