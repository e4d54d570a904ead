-- Accounts carry revenue so evidence can be weighted by it.
CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY NOT NULL,
    name TEXT,
    plan TEXT,
    arr_cents INTEGER,
    updated_at INTEGER NOT NULL
);

-- One row per (source, external_id): redeliveries update, never duplicate.
-- Times are unix seconds (UTC) in both backends.
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    account_id TEXT,
    account_name TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    tags TEXT NOT NULL,
    url TEXT,
    created_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    lost_arr_cents INTEGER,
    content_hash TEXT NOT NULL,
    is_performance BOOLEAN NOT NULL DEFAULT 0,
    is_reliability BOOLEAN NOT NULL DEFAULT 0,
    score_performance REAL NOT NULL DEFAULT 0,
    score_reliability REAL NOT NULL DEFAULT 0,
    explanation TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    model_version TEXT NOT NULL DEFAULT '',
    UNIQUE (source, external_id)
);
CREATE INDEX feedback_created_at ON feedback (created_at);
CREATE INDEX feedback_account ON feedback (account_id);

-- Topic membership, with the item's time copied in so evidence and digest queries scan one
-- index range per topic and window.
CREATE TABLE feedback_topics (
    topic TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    PRIMARY KEY (topic, created_at, item_id)
);
CREATE INDEX feedback_topics_item ON feedback_topics (item_id);

-- People's corrections of the classifier: gold labels for retraining.
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    is_performance BOOLEAN NOT NULL,
    is_reliability BOOLEAN NOT NULL,
    corrected_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX corrections_item ON corrections (item_id);

-- Trained models; at most one is active.
CREATE TABLE models (
    version TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 0,
    metrics TEXT NOT NULL,
    model TEXT NOT NULL
);
