//! Topics stored in the database (`stored_topics`), and giving a new topic to the items it
//! matches: a page-by-page scan of stored texts, and the topic rows and `topics` column of the
//! items that match.

use super::rollup_delta::delta;
use super::{Store, StoreResult, from_unix};
use crate::domain::{Category, StoredTopic};
use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One stored item's text and tags, as a topic scan reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanRow {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub subject: String,
    pub body: String,
    pub performance: bool,
    pub reliability: bool,
}

impl Store {
    /// Every stored topic, oldest first.
    pub async fn stored_topics(&self) -> StoreResult<Vec<StoredTopic>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT slug, title, patterns, exclude, category, channel, metric, metric_label, created_by, created_at \
                                    FROM stored_topics ORDER BY created_at, slug")
                .fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let patterns: String = r.try_get("patterns")?;
                let exclude: String = r.try_get("exclude")?;
                let category: Option<String> = r.try_get("category")?;
                out.push(StoredTopic {
                    slug: r.try_get("slug")?,
                    title: r.try_get("title")?,
                    patterns: serde_json::from_str(&patterns).context("stored_topics.patterns is not a JSON array")?,
                    exclude: serde_json::from_str(&exclude).context("stored_topics.exclude is not a JSON array")?,
                    category: category.map(|c| c.parse::<Category>().map_err(anyhow::Error::msg)).transpose()?,
                    channel: r.try_get("channel")?,
                    metric: r.try_get("metric")?,
                    metric_label: r.try_get("metric_label")?,
                    created_by: r.try_get("created_by")?,
                    created_at: from_unix(r.try_get("created_at")?),
                });
            }
            Ok(out)
        })
    }

    /// Stores `topic`; false (and nothing changed) when a stored topic has its slug already.
    pub async fn insert_stored_topic(&self, topic: &StoredTopic) -> StoreResult<bool> {
        let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        on_pool!(self, pool => {
            let done = sqlx::query("INSERT INTO stored_topics (slug, title, patterns, exclude, category, channel, metric, metric_label, \
                                    created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (slug) DO NOTHING")
                .bind(&topic.slug).bind(&topic.title).bind(json(&topic.patterns)).bind(json(&topic.exclude))
                .bind(topic.category.map(Category::as_str)).bind(&topic.channel).bind(&topic.metric).bind(&topic.metric_label)
                .bind(&topic.created_by).bind(topic.created_at.timestamp())
                .execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Up to `limit` items with an id above `after` created at or after `since`, by id: one page
    /// of a scan over stored texts.
    pub async fn scan_page(&self, after: i64, since: DateTime<Utc>, limit: i64) -> StoreResult<Vec<ScanRow>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, created_at, subject, body, is_performance, is_reliability FROM feedback \
                                    WHERE id > $1 AND created_at >= $2 ORDER BY id LIMIT $3")
                .bind(after).bind(since.timestamp()).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(ScanRow {
                    id: r.try_get("id")?,
                    created_at: from_unix(r.try_get("created_at")?),
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    performance: r.try_get("is_performance")?,
                    reliability: r.try_get("is_reliability")?,
                });
            }
            Ok(out)
        })
    }

    /// Gives `topic` to the items `ids` (with their creation times): a `feedback_topics` row
    /// each, and the slug added to their `topics` column, in one transaction. Returns how many
    /// items did not have it yet.
    pub async fn add_topic_to_items(&self, topic: &str, ids: &[(i64, DateTime<Utc>)]) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let item_ids: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
        // Read first (and on PostgreSQL locked): a new topic moves the rollups.
        let before = tx.item_facts(&item_ids).await?;
        let added = on_tx!(&mut tx, tx => {
            let mut added = 0;
            for (id, created_at) in ids {
                let done = sqlx::query("INSERT INTO feedback_topics (topic, created_at, item_id, score_performance, score_reliability) \
                                        SELECT $1, $2, id, score_performance, score_reliability FROM feedback WHERE id = $3 ON CONFLICT DO NOTHING")
                    .bind(topic).bind(created_at.timestamp()).bind(id).execute(&mut **tx).await?;
                if done.rows_affected() == 0 {
                    continue;
                }
                added += 1;
                let topics: String = sqlx::query_scalar("SELECT topics FROM feedback WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
                let mut list: Vec<String> = serde_json::from_str(&topics).context("feedback.topics is not a JSON array")?;
                list.push(topic.to_string());
                sqlx::query("UPDATE feedback SET topics = $2 WHERE id = $1")
                    .bind(id).bind(serde_json::to_string(&list).unwrap_or_default()).execute(&mut **tx).await?;
            }
            added
        });
        let after = tx.item_facts(&item_ids).await?;
        tx.apply_rollups(&delta(&before, &after)).await?;
        tx.commit().await?;
        Ok(added)
    }
}
