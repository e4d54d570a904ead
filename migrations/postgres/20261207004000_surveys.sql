-- Survey responses (issue 21): an item of kind 'survey' keeps its score beside its comment.
-- survey_type is 'nps' (score 0-10) or 'csat' (score 1-5); both are NULL for every other item.
ALTER TABLE feedback ADD COLUMN survey_type TEXT;
ALTER TABLE feedback ADD COLUMN survey_score BIGINT;
CREATE INDEX feedback_survey_created_at ON feedback (created_at) WHERE survey_type IS NOT NULL;
