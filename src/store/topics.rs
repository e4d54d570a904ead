//! Topic rows (`feedback_topics`, one per item and topic at the item's creation time): counts
//! per topic, one topic's totals and its recent items.

use super::{FEEDBACK_COLUMNS, Store, StoreResult, from_unix};
use crate::domain::{Classification, Feedback, Kind, Source};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One topic's volume in a window and who it touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TopicTotals {
    pub items: i64,
    pub accounts: i64,
    pub arr_cents: i64,
    pub churn_notes: i64,
}

impl Store {
    /// Items per topic created in `[from, to)`, largest first.
    pub async fn topic_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT topic, COUNT(*) AS n FROM feedback_topics WHERE created_at >= $1 AND created_at < $2 GROUP BY topic ORDER BY n DESC, topic")
                .bind(from.timestamp()).bind(to.timestamp()).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((r.try_get("topic")?, r.try_get("n")?));
            }
            Ok(out)
        })
    }

    /// The newest items of `topic` created in `[from, to)`.
    pub async fn recent_topic_items(&self, topic: &str, from: DateTime<Utc>, to: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Feedback>> {
        on_pool!(self, pool => {
            let sql = format!("SELECT {FEEDBACK_COLUMNS} FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
                               WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3 ORDER BY t.created_at DESC, f.id DESC LIMIT $4");
            let rows = sqlx::query(&sql)
                .bind(topic).bind(from.timestamp()).bind(to.timestamp()).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(feedback_from_row!(row));
            }
            Ok(out)
        })
    }

    /// Items, distinct accounts, their ARR and churn notes of `topic` in `[from, to)`.
    pub async fn topic_totals(&self, topic: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<TopicTotals> {
        const ITEMS: &str = "SELECT f.account_id, f.kind FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
                             WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3";
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT COUNT(*) AS items, COUNT(DISTINCT account_id) AS accounts, \
                                             SUM(CASE WHEN kind = 'churn_note' THEN 1 ELSE 0 END) AS churn FROM ({ITEMS}) i"))
                .bind(topic).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            let arr: i64 = sqlx::query_scalar(&format!("SELECT CAST(COALESCE(SUM(arr_cents), 0) AS BIGINT) FROM accounts \
                                                         WHERE account_id IN (SELECT account_id FROM ({ITEMS}) i)"))
                .bind(topic).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            Ok(TopicTotals {
                items: row.try_get("items")?,
                accounts: row.try_get("accounts")?,
                arr_cents: arr,
                churn_notes: row.try_get::<Option<i64>, _>("churn")?.unwrap_or(0),
            })
        })
    }
}
