-- The App Home tab (issue 23): when each user's Home view was last published and the `hash`
-- Slack returned for it. A replica publishes only when the last publish is older than
-- slack.home_refresh_secs (the update of `published_at` is the claim, so at most one publish per
-- user per interval across replicas), and passes the stored hash to views.publish so it never
-- overwrites a newer view (Slack answers `hash_conflict`). Times are unix seconds (UTC).
CREATE TABLE slack_home_views (
    user_id TEXT PRIMARY KEY NOT NULL,
    published_at INTEGER NOT NULL,
    view_hash TEXT
);
