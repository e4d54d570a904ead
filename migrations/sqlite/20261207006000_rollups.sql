-- Rollups (issue 22): stored items counted per UTC day (`day`, unix seconds of its midnight),
-- topic (`''` is the row of all items, whatever their topics), pair of categories, source, kind
-- and account (`''` for items without one). `items` counts them, `lost_arr_cents` sums the
-- lost ARR the items state (churn notes' own figure) and `lost_arr_items` counts the items that
-- state one. The write path keeps them in the same transaction as the items (store/rollups.rs);
-- `pushback rollups check` recounts them from the items. A row may fall to zero after edits.
CREATE TABLE rollups (
    day BIGINT NOT NULL,
    topic TEXT NOT NULL,
    is_performance BOOLEAN NOT NULL,
    is_reliability BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    account_id TEXT NOT NULL,
    items BIGINT NOT NULL,
    lost_arr_cents BIGINT NOT NULL,
    lost_arr_items BIGINT NOT NULL,
    PRIMARY KEY (topic, day, is_performance, is_reliability, source, kind, account_id)
);

-- The history already stored: all items, then one row per topic row (as packs read topics).
INSERT INTO rollups (day, topic, is_performance, is_reliability, source, kind, account_id, items, lost_arr_cents, lost_arr_items)
SELECT (created_at / 86400) * 86400, '', is_performance, is_reliability, source, kind, COALESCE(account_id, ''),
       COUNT(*), CAST(COALESCE(SUM(lost_arr_cents), 0) AS BIGINT), COUNT(lost_arr_cents)
FROM feedback
GROUP BY (created_at / 86400) * 86400, is_performance, is_reliability, source, kind, COALESCE(account_id, '');

INSERT INTO rollups (day, topic, is_performance, is_reliability, source, kind, account_id, items, lost_arr_cents, lost_arr_items)
SELECT (f.created_at / 86400) * 86400, t.topic, f.is_performance, f.is_reliability, f.source, f.kind, COALESCE(f.account_id, ''),
       COUNT(*), CAST(COALESCE(SUM(f.lost_arr_cents), 0) AS BIGINT), COUNT(f.lost_arr_cents)
FROM feedback_topics t JOIN feedback f ON f.id = t.item_id
GROUP BY (f.created_at / 86400) * 86400, t.topic, f.is_performance, f.is_reliability, f.source, f.kind, COALESCE(f.account_id, '');
