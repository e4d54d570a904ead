-- Topics stored in the database (made from an emerging cluster with Slack's *Make this a topic*),
-- merged with config/rules.toml's when the classifier loads. Same fields as a rules.toml
-- [[topic]]; patterns and exclude are JSON arrays of regexes; category is performance,
-- reliability or NULL (either). A slug rules.toml also defines is refused when stored, and
-- rules.toml wins if one is added there later. Times are unix seconds (UTC).
CREATE TABLE stored_topics (
    slug TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    patterns TEXT NOT NULL,
    exclude TEXT NOT NULL DEFAULT '[]',
    category TEXT,
    channel TEXT,
    metric TEXT,
    metric_label TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
