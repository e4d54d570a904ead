//! Whole-history tallies that seed `/metrics` counters once at start (afterwards the counters
//! move in memory), and the Slack outbox's current depth.

use super::{Store, StoreResult};
use sqlx::Row;

/// Stored items of one source, kind and pair of categories, and the ARR their churn notes state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackTally {
    pub source: String,
    pub kind: String,
    pub performance: bool,
    pub reliability: bool,
    pub items: i64,
    pub lost_arr_cents: i64,
}

/// Stored items of one topic and pair of categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicTally {
    pub topic: String,
    pub performance: bool,
    pub reliability: bool,
    pub items: i64,
}

impl Store {
    /// Every stored item, grouped by source, kind and categories (one scan).
    pub async fn feedback_tallies(&self) -> StoreResult<Vec<FeedbackTally>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT source, kind, is_performance, is_reliability, COUNT(*) AS n, \
                                    CAST(COALESCE(SUM(CASE WHEN kind = 'churn_note' THEN lost_arr_cents ELSE 0 END), 0) AS BIGINT) AS lost \
                                    FROM feedback GROUP BY source, kind, is_performance, is_reliability")
                .fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(FeedbackTally {
                    source: r.try_get("source")?,
                    kind: r.try_get("kind")?,
                    performance: r.try_get("is_performance")?,
                    reliability: r.try_get("is_reliability")?,
                    items: r.try_get("n")?,
                    lost_arr_cents: r.try_get("lost")?,
                });
            }
            Ok(out)
        })
    }

    /// Items per topic and categories.
    pub async fn topic_tallies(&self) -> StoreResult<Vec<TopicTally>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT t.topic, f.is_performance, f.is_reliability, COUNT(*) AS n FROM feedback_topics t \
                                    JOIN feedback f ON f.id = t.item_id GROUP BY t.topic, f.is_performance, f.is_reliability")
                .fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(TopicTally {
                    topic: r.try_get("topic")?,
                    performance: r.try_get("is_performance")?,
                    reliability: r.try_get("is_reliability")?,
                    items: r.try_get("n")?,
                });
            }
            Ok(out)
        })
    }

    /// Outbox messages per status, for those still waiting or failed (the index on status).
    pub async fn outbox_depth(&self) -> StoreResult<Vec<(String, i64)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM slack_outbox WHERE status IN ('pending', 'sending', 'failed') GROUP BY status")
                .fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((r.try_get("status")?, r.try_get("n")?));
            }
            Ok(out)
        })
    }
}
