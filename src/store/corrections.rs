//! People's corrections of tags (`pushback label`, Slack *Wrong tag* and the label queue):
//! recorded with what the item was tagged before, applied to the item at once, and read back
//! as training data, as the workspace's own precision, and for the label queue's messages.

use super::rollup_delta::delta;
use super::{Store, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A gold label from a person: the latest correction of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub item_id: i64,
    pub text: String,
    pub performance: bool,
    pub reliability: bool,
    /// The id of this item's first correction: a model trained on corrections up to a lower id
    /// never saw the item labelled.
    pub first_id: i64,
    /// The id of this (the latest) correction.
    pub id: i64,
}

/// The latest label of an item and who gave it (the label queue shows it in place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestLabel {
    pub item_id: i64,
    pub performance: bool,
    pub reliability: bool,
    pub by: String,
}

/// One tag on the items people corrected: how many the classifier had given the tag before
/// the correction (`tagged`), and how many of those the person's label kept it (`right`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagAgreement {
    pub tagged: i64,
    pub right: i64,
}

/// The latest correction of each item (`c` is it).
const LATEST: &str = "c.id = (SELECT MAX(c2.id) FROM corrections c2 WHERE c2.item_id = c.item_id)";

fn is_corrected(explanation: &str) -> bool {
    serde_json::from_str::<Vec<String>>(explanation).is_ok_and(|e| e.iter().any(|r| r.starts_with("correction:")))
}

impl Store {
    /// Records a person's correction and applies it to the item at once. The correction keeps
    /// what the item was tagged before: its stored tags, or, when a person had corrected it
    /// already, what the first correction kept (so it stays the classifier's answer).
    pub async fn record_correction(
        &self,
        item_id: i64,
        performance: bool,
        reliability: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // Read first (and on PostgreSQL locked): the tags a correction changes move the rollups.
        let before = tx.item_facts(&[item_id]).await?;
        let recorded = on_tx!(&mut tx, tx => {
            let item: Option<(bool, bool, String, String)> =
                sqlx::query_as("SELECT is_performance, is_reliability, explanation, model_version FROM feedback WHERE id = $1")
                    .bind(item_id).fetch_optional(&mut **tx).await?;
            let Some((was_performance, was_reliability, explanation, model_version)) = item else {
                return Ok(false);
            };
            let before: (Option<bool>, Option<bool>, Option<String>) = if is_corrected(&explanation) {
                sqlx::query_as("SELECT model_performance, model_reliability, model_version FROM corrections WHERE item_id = $1 ORDER BY id DESC LIMIT 1")
                    .bind(item_id).fetch_optional(&mut **tx).await?.unwrap_or((None, None, None))
            } else {
                (Some(was_performance), Some(was_reliability), Some(model_version))
            };
            sqlx::query("INSERT INTO corrections (item_id, is_performance, is_reliability, corrected_by, created_at, model_performance, \
                         model_reliability, model_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(item_id).bind(performance).bind(reliability).bind(by).bind(now.timestamp())
                .bind(before.0).bind(before.1).bind(before.2)
                .execute(&mut **tx).await?;
            let label = format!("correction:{by}");
            sqlx::query("UPDATE feedback SET is_performance = $2, is_reliability = $3, explanation = $4 WHERE id = $1")
                .bind(item_id).bind(performance).bind(reliability)
                .bind(serde_json::to_string(&vec![label]).unwrap_or_default())
                .execute(&mut **tx).await?;
            true
        });
        let after = tx.item_facts(&[item_id]).await?;
        tx.apply_rollups(&delta(&before, &after)).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    /// The latest correction per item, with the item's text: training data.
    pub async fn corrections(&self) -> StoreResult<Vec<Correction>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!(
                "SELECT c.id, c.item_id, c.is_performance, c.is_reliability, f.subject, f.body, \
                 (SELECT MIN(c3.id) FROM corrections c3 WHERE c3.item_id = c.item_id) AS first_id FROM corrections c \
                 JOIN feedback f ON f.id = c.item_id WHERE {LATEST} ORDER BY c.item_id"))
                .fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let subject: String = r.try_get("subject")?;
                let body: String = r.try_get("body")?;
                out.push(Correction {
                    item_id: r.try_get("item_id")?,
                    text: if subject.is_empty() { body } else { format!("{subject}\n{body}") },
                    performance: r.try_get("is_performance")?,
                    reliability: r.try_get("is_reliability")?,
                    first_id: r.try_get("first_id")?,
                    id: r.try_get("id")?,
                })
            }
            Ok(out)
        })
    }

    /// How many corrections have an id above `after`, and the highest id (0 when none).
    pub async fn corrections_after(&self, after: i64) -> StoreResult<(i64, i64)> {
        on_pool!(self, pool => {
            let (n, max): (i64, Option<i64>) = sqlx::query_as("SELECT COUNT(*), MAX(id) FROM corrections WHERE id > $1")
                .bind(after).fetch_one(pool).await?;
            Ok((n, max.unwrap_or(0)))
        })
    }

    /// The latest label of each of `items` that has one.
    pub async fn latest_labels(&self, items: &[i64]) -> StoreResult<Vec<LatestLabel>> {
        let mut out = Vec::new();
        on_pool!(self, pool => {
            for &item in items {
                let row: Option<(bool, bool, String)> = sqlx::query_as(
                    "SELECT is_performance, is_reliability, corrected_by FROM corrections WHERE item_id = $1 ORDER BY id DESC LIMIT 1")
                    .bind(item).fetch_optional(pool).await?;
                if let Some((performance, reliability, by)) = row {
                    out.push(LatestLabel { item_id: item, performance, reliability, by });
                }
            }
        });
        Ok(out)
    }

    /// Per tag (performance, reliability), over each corrected item's latest correction: how
    /// often the tag the classifier had given before the correction was kept by the person.
    /// Corrections recorded before the tags were kept are left out.
    pub async fn correction_agreement(&self) -> StoreResult<[TagAgreement; 2]> {
        on_pool!(self, pool => {
            let row = sqlx::query(&format!(
                "SELECT SUM(CASE WHEN c.model_performance THEN 1 ELSE 0 END) AS pt, \
                 SUM(CASE WHEN c.model_performance AND c.is_performance THEN 1 ELSE 0 END) AS pr, \
                 SUM(CASE WHEN c.model_reliability THEN 1 ELSE 0 END) AS rt, \
                 SUM(CASE WHEN c.model_reliability AND c.is_reliability THEN 1 ELSE 0 END) AS rr \
                 FROM corrections c WHERE c.model_performance IS NOT NULL AND {LATEST}"))
                .fetch_one(pool).await?;
            let get = |name: &str| row.try_get::<Option<i64>, _>(name).map(Option::unwrap_or_default);
            Ok([TagAgreement { tagged: get("pt")?, right: get("pr")? }, TagAgreement { tagged: get("rt")?, right: get("rr")? }])
        })
    }
}
