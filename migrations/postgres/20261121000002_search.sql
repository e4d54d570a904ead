-- Full-text search over subject and body for evidence on free topic slugs (`/evidence search-timeout`).
-- A stored tsvector (English stemming, so "crashes" finds "crash") with a GIN index.
ALTER TABLE feedback
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', subject || ' ' || body)) STORED;
CREATE INDEX feedback_search ON feedback USING GIN (search);
