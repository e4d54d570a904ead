//! The items emerging topics are looked for in: performance or reliability feedback of a window
//! that no topic claims, with its account's ARR.

use super::{Store, StoreResult, from_unix};
use crate::domain::{Kind, Source};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One unclaimed item, with what a cluster reports about it.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolItem {
    pub id: i64,
    pub source: Source,
    pub kind: Kind,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub subject: String,
    pub body: String,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub performance: bool,
    pub reliability: bool,
    /// The account's ARR (accounts table), when known.
    pub arr_cents: Option<i64>,
}

/// The pool: a window's items tagged performance or reliability that carry no topic.
const POOL: &str = "FROM feedback f WHERE f.created_at >= $1 AND f.created_at < $2 AND (f.is_performance OR f.is_reliability) \
    AND f.topics = '[]'";

/// The order a bounded sample takes pool items in: by a multiplicative hash of the id (Knuth's),
/// so the sample is the same on both backends, spread evenly over the window, and an item sampled
/// once stays sampled as the history grows.
const SAMPLE_ORDER: &str = "(f.id * 2654435761) % 4294967296, f.id";

impl Store {
    /// Items created in `[from, to)` tagged performance or reliability that carry no topic, by id.
    pub async fn unclaimed_items(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<PoolItem>> {
        self.unclaimed_sample(from, to, None).await
    }

    /// How many items `unclaimed_items` would read.
    pub async fn unclaimed_count(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<u64> {
        let n: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(&format!("SELECT COUNT(*) {POOL}")).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?
        });
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// `unclaimed_items`, at most `limit` of them (a deterministic sample, `SAMPLE_ORDER`), by id.
    pub async fn unclaimed_sample(&self, from: DateTime<Utc>, to: DateTime<Utc>, limit: Option<usize>) -> StoreResult<Vec<PoolItem>> {
        let sample = limit.map(|n| format!(" ORDER BY {SAMPLE_ORDER} LIMIT {n}")).unwrap_or_default();
        let sql = format!(
            "SELECT f.id, f.source, f.kind, f.account_id, f.account_name, f.subject, f.body, f.url, f.created_at, \
             f.is_performance, f.is_reliability, a.arr_cents FROM (SELECT f.id {POOL}{sample}) s JOIN feedback f ON f.id = s.id \
             LEFT JOIN accounts a ON a.account_id = f.account_id ORDER BY f.id"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(from.timestamp()).bind(to.timestamp()).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let source: String = r.try_get("source")?;
                let kind: String = r.try_get("kind")?;
                out.push(PoolItem {
                    id: r.try_get("id")?,
                    source: source.parse::<Source>().map_err(|e| anyhow::anyhow!(e))?,
                    kind: kind.parse::<Kind>().map_err(|e| anyhow::anyhow!(e))?,
                    account_id: r.try_get("account_id")?,
                    account_name: r.try_get("account_name")?,
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    url: r.try_get("url")?,
                    created_at: from_unix(r.try_get("created_at")?),
                    performance: r.try_get("is_performance")?,
                    reliability: r.try_get("is_reliability")?,
                    arr_cents: r.try_get("arr_cents")?,
                });
            }
            Ok(out)
        })
    }
}
