//! People's corrections of tags (`pushback label`, Slack *Wrong tag*): recorded, applied to the
//! item at once, and read back as training data.

use super::{Store, StoreResult};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A gold label from a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub item_id: i64,
    pub text: String,
    pub performance: bool,
    pub reliability: bool,
}

impl Store {
    /// Records a person's correction and applies it to the item at once.
    pub async fn record_correction(
        &self,
        item_id: i64,
        performance: bool,
        reliability: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM feedback WHERE id = $1").bind(item_id).fetch_optional(&mut *tx).await?;
            if exists.is_none() {
                return Ok(false);
            }
            sqlx::query("INSERT INTO corrections (item_id, is_performance, is_reliability, corrected_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(item_id).bind(performance).bind(reliability).bind(by).bind(now.timestamp())
                .execute(&mut *tx).await?;
            let label = format!("correction:{by}");
            sqlx::query("UPDATE feedback SET is_performance = $2, is_reliability = $3, explanation = $4 WHERE id = $1")
                .bind(item_id).bind(performance).bind(reliability)
                .bind(serde_json::to_string(&vec![label]).unwrap_or_default())
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The latest correction per item, with the item's text: training data.
    pub async fn corrections(&self) -> StoreResult<Vec<Correction>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT c.item_id, c.is_performance, c.is_reliability, f.subject, f.body FROM corrections c \
                 JOIN feedback f ON f.id = c.item_id \
                 WHERE c.id = (SELECT MAX(c2.id) FROM corrections c2 WHERE c2.item_id = c.item_id) ORDER BY c.item_id")
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
                });
            }
            Ok(out)
        })
    }
}
