-- Full-text search over subject and body for evidence on free topic slugs (`/evidence search-timeout`).
-- An external-content FTS5 index kept in step with `feedback` by triggers; porter stemming so
-- "crashes" finds "crash".
CREATE VIRTUAL TABLE feedback_fts USING fts5(
    subject, body,
    content = 'feedback', content_rowid = 'id',
    tokenize = 'porter unicode61'
);

CREATE TRIGGER feedback_fts_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO feedback_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;

CREATE TRIGGER feedback_fts_delete AFTER DELETE ON feedback BEGIN
    INSERT INTO feedback_fts (feedback_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
END;

CREATE TRIGGER feedback_fts_update AFTER UPDATE OF subject, body ON feedback BEGIN
    INSERT INTO feedback_fts (feedback_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
    INSERT INTO feedback_fts (rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;

-- Index what is already stored.
INSERT INTO feedback_fts (feedback_fts) VALUES ('rebuild');
