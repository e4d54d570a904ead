-- Issues filed in GitHub, Jira or Linear from an evidence pack. A row is first a claim (state
-- 'creating', at most one per topic and tracker, removed if the tracker refuses), then the link
-- ('open'), and the close webhooks move it to 'done' (closed as completed: the fix date) or
-- 'closed'; a reopen puts it back to 'open', which also cancels a pending impact report.
-- reported_at is the claim to post that report, once across replicas. Times are unix seconds.
CREATE TABLE issue_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    tracker TEXT NOT NULL,
    issue_key TEXT,
    url TEXT,
    pack_hash TEXT NOT NULL,
    window_from INTEGER NOT NULL,
    window_to INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    done_at INTEGER,
    slack_channel TEXT,
    slack_ts TEXT,
    reported_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX issue_links_one_claim ON issue_links (topic, tracker) WHERE state = 'creating';
CREATE UNIQUE INDEX issue_links_key ON issue_links (tracker, issue_key) WHERE issue_key IS NOT NULL;
CREATE INDEX issue_links_topic ON issue_links (topic);
