-- The pool emerging topics are looked for in (store/emerging.rs: a window's items tagged
-- performance or reliability that no topic claims) gets its own partial index, so counting and
-- sampling it reads only the pool's index entries (about 1% of the items) instead of every item
-- of the window (issue 22: the digest at 1M and 10M items). The predicate is the queries' own.
CREATE INDEX feedback_unclaimed ON feedback (created_at) WHERE (is_performance OR is_reliability) AND topics = '[]';
