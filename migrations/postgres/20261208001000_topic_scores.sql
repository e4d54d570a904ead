-- The quotes' index (issue 22): each topic row carries its item's two scores, so a pack finds its
-- surest items in a window from `feedback_topics_scores` alone (the window's index entries,
-- sorted by score) and reads only those items, not every item of the topic. The write path,
-- re-tags and topics made in Slack write the scores with the topic rows, in the same transaction
-- as the item; `pushback rollups check` counts topic rows whose time or scores differ from the item's.
ALTER TABLE feedback_topics ADD COLUMN score_performance DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE feedback_topics ADD COLUMN score_reliability DOUBLE PRECISION NOT NULL DEFAULT 0;

UPDATE feedback_topics t SET score_performance = f.score_performance, score_reliability = f.score_reliability
FROM feedback f WHERE f.id = t.item_id;

CREATE INDEX feedback_topics_scores ON feedback_topics (topic, created_at, score_performance, score_reliability, item_id);
