//! The label queue's read: stored items no person has corrected, those whose scores are nearest
//! the decision thresholds first (`classify::uncertainty` picks the few to show).

use super::{FEEDBACK_COLUMNS, Store, StoreResult, from_unix};
use crate::domain::{Classification, Feedback, Kind, Source};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

impl Store {
    /// Up to `limit` items created since `since` that have no correction, ordered by how near
    /// the nearer of their two scores is to its head's threshold (`thresholds`: performance,
    /// reliability), nearest first.
    pub async fn label_candidates(&self, since: DateTime<Utc>, thresholds: (f64, f64), limit: i64) -> StoreResult<Vec<Feedback>> {
        let distance = "CASE WHEN ABS(f.score_performance - $2) < ABS(f.score_reliability - $3) \
                        THEN ABS(f.score_performance - $2) ELSE ABS(f.score_reliability - $3) END";
        let sql = format!(
            "SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.created_at >= $1 \
             AND NOT EXISTS (SELECT 1 FROM corrections c WHERE c.item_id = f.id) ORDER BY {distance}, f.created_at DESC, f.id DESC LIMIT $4"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(since.timestamp()).bind(thresholds.0).bind(thresholds.1).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(feedback_from_row!(row));
            }
            Ok(out)
        })
    }
}
