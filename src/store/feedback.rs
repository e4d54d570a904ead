//! Feedback items as stored: reads by id, by vendor id and in id order (export, reclassify),
//! counts, and replacing items' classifications after a model or rules change.

use super::rollup_delta::delta;
use super::write::TOPIC_ROWS_HEAD;
use super::{FEEDBACK_COLUMNS, Store, StoreResult, from_unix};
use crate::domain::{Classification, Feedback, Kind, Source};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

impl Store {
    /// Items with `id > after`, in id order: the paging used by export and reclassify.
    pub async fn items_after(&self, after: i64, limit: i64) -> StoreResult<Vec<Feedback>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!("SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.id > $1 ORDER BY f.id LIMIT $2"))
                .bind(after).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(feedback_from_row!(row));
            }
            Ok(out)
        })
    }

    /// Items created since `since` with `id > after`, in id order: the paging a re-tag of
    /// recent items uses.
    pub async fn items_created_since(&self, since: DateTime<Utc>, after: i64, limit: i64) -> StoreResult<Vec<Feedback>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!("SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.created_at >= $1 AND f.id > $2 ORDER BY f.id LIMIT $3"))
                .bind(since.timestamp()).bind(after).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(feedback_from_row!(row));
            }
            Ok(out)
        })
    }

    pub async fn item(&self, id: i64) -> StoreResult<Option<Feedback>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.id = $1")).bind(id).fetch_optional(pool).await?;
            Ok(match row { Some(row) => Some(feedback_from_row!(&row)), None => None })
        })
    }

    pub async fn item_by_external(&self, source: Source, external_id: &str) -> StoreResult<Option<Feedback>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.source = $1 AND f.external_id = $2"))
                .bind(source.as_str()).bind(external_id).fetch_optional(pool).await?;
            Ok(match row { Some(row) => Some(feedback_from_row!(&row)), None => None })
        })
    }

    pub async fn count_items(&self) -> StoreResult<i64> {
        on_pool!(self, pool => Ok(sqlx::query_scalar("SELECT COUNT(*) FROM feedback").fetch_one(pool).await?))
    }

    /// (all items, performance, reliability) created in `[from, to)`, recounted from the items:
    /// the edges of a window for `category_counts` (which reads the rollup totals for whole
    /// days), and what `bench evidence` and the tests compare it with.
    pub async fn category_counts_of_items(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<(i64, i64, i64)> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT COUNT(*) AS n, SUM(CASE WHEN is_performance THEN 1 ELSE 0 END) AS p, \
                                   SUM(CASE WHEN is_reliability THEN 1 ELSE 0 END) AS r FROM feedback WHERE created_at >= $1 AND created_at < $2")
                .bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            Ok((row.try_get("n")?, row.try_get::<Option<i64>, _>("p")?.unwrap_or(0), row.try_get::<Option<i64>, _>("r")?.unwrap_or(0)))
        })
    }

    /// Replaces the classification (and topic rows) of existing items, and moves their counts in
    /// the rollups, in one transaction.
    pub async fn set_classifications(&self, updates: &[(i64, DateTime<Utc>, Classification)]) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let ids: Vec<i64> = updates.iter().map(|(id, _, _)| *id).collect();
        let before = tx.item_facts(&ids).await?;
        on_tx!(&mut tx, tx => {
            for (id, created_at, c) in updates {
                sqlx::query("UPDATE feedback SET is_performance = $2, is_reliability = $3, score_performance = $4, \
                             score_reliability = $5, explanation = $6, topics = $7, model_version = $8 WHERE id = $1")
                    .bind(id).bind(c.performance).bind(c.reliability).bind(c.score_performance).bind(c.score_reliability)
                    .bind(serde_json::to_string(&c.explanation).unwrap_or_default())
                    .bind(serde_json::to_string(&c.topics).unwrap_or_default())
                    .bind(&c.model_version)
                    .execute(&mut **tx).await?;
                sqlx::query("DELETE FROM feedback_topics WHERE item_id = $1").bind(id).execute(&mut **tx).await?;
                for topic in &c.topics {
                    sqlx::query(&format!("{TOPIC_ROWS_HEAD}($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"))
                        .bind(topic).bind(created_at.timestamp()).bind(id).bind(c.score_performance).bind(c.score_reliability)
                        .execute(&mut **tx).await?;
                }
            }
        });
        let after = tx.item_facts(&ids).await?;
        tx.apply_rollups(&delta(&before, &after)).await?;
        tx.commit().await
    }
}
