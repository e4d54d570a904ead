-- Rollup totals (issue 22): the rollups (20261207006000) without the account. One row per UTC
-- day (`day`, unix seconds of its midnight), topic (`''` is the row of all items), pair of
-- categories, source and kind: a few thousand rows a month, where the per-account rollups have
-- about one row per item. Counts of all items and of a topic in a window sum these. The write
-- path adds to both tables from the same delta in the items' own transaction
-- (store/rollups.rs); `pushback rollups check` recounts both. A row may fall to zero after edits.
CREATE TABLE rollup_totals (
    day BIGINT NOT NULL,
    topic TEXT NOT NULL,
    is_performance BOOLEAN NOT NULL,
    is_reliability BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    items BIGINT NOT NULL,
    lost_arr_cents BIGINT NOT NULL,
    lost_arr_items BIGINT NOT NULL,
    PRIMARY KEY (topic, day, is_performance, is_reliability, source, kind)
);

-- The history already counted: the per-account rollups summed over the accounts.
INSERT INTO rollup_totals (day, topic, is_performance, is_reliability, source, kind, items, lost_arr_cents, lost_arr_items)
SELECT day, topic, is_performance, is_reliability, source, kind,
       CAST(SUM(items) AS BIGINT), CAST(SUM(lost_arr_cents) AS BIGINT), CAST(SUM(lost_arr_items) AS BIGINT)
FROM rollups
GROUP BY topic, day, is_performance, is_reliability, source, kind;
