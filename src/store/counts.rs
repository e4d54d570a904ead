//! Counts of items in a window: all items, or a topic's. They read the rollup totals
//! (`rollup_totals`: the rollups without the account, a few thousand rows a month) for the whole
//! UTC days inside the window and the items only for the parts of days at its edges (a window
//! that ends `now` starts and ends mid-day), so they equal a recount of the items exactly. The
//! per-account rollups are not read here: with the account in their key they hold about one row
//! per item, and summing them was measured slower than the items' index (BENCHMARKS.md). The
//! `*_scan` functions count a topic from the items; the tests hold both to the same numbers.

use super::rollup_delta::{ALL_ITEMS, cut};
use super::{Store, StoreResult, from_unix};
use crate::domain::{Selector, Window};
use chrono::{DateTime, Utc};
use sqlx::Row;
use std::collections::HashMap;

const SUMS: &str = "SELECT CAST(COALESCE(SUM(items), 0) AS BIGINT) AS n, \
    CAST(COALESCE(SUM(CASE WHEN is_performance THEN items ELSE 0 END), 0) AS BIGINT) AS p, \
    CAST(COALESCE(SUM(CASE WHEN is_reliability THEN items ELSE 0 END), 0) AS BIGINT) AS r \
    FROM rollup_totals WHERE topic = $1 AND day >= $2 AND day < $3";

/// A window as two instants.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// The whole days inside `[from, to)` (unix seconds), and the parts of days at its edges.
fn edges(from: DateTime<Utc>, to: DateTime<Utc>) -> (Option<(i64, i64)>, Vec<Span>) {
    let c = cut(from.timestamp(), to.timestamp());
    (c.days, c.edges.into_iter().flatten().map(|(a, b)| (from_unix(a), from_unix(b))).collect())
}

impl Store {
    /// All feedback created in `[from, to)`: the rollup totals for whole days, the items'
    /// `created_at` index for the edges.
    pub async fn count_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<i64> {
        let (days, parts) = edges(from, to);
        let mut n = match days {
            Some((a, b)) => self.rollup_sums(ALL_ITEMS, a, b).await?.0,
            None => 0,
        };
        for (a, b) in parts {
            n += self.count_items_between(a, b).await?;
        }
        Ok(n)
    }

    /// (all items, performance, reliability) created in `[from, to)`: the rollup totals for whole
    /// days, the items for the edges.
    pub async fn category_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<(i64, i64, i64)> {
        let (days, parts) = edges(from, to);
        let mut sum = match days {
            Some((a, b)) => self.rollup_sums(ALL_ITEMS, a, b).await?,
            None => (0, 0, 0),
        };
        for (a, b) in parts {
            let (n, p, r) = self.category_counts_of_items(a, b).await?;
            sum = (sum.0 + n, sum.1 + p, sum.2 + r);
        }
        Ok(sum)
    }

    /// How many of the selector's items were created in the window. Free-text searches have no
    /// rollups: they count from the items.
    pub async fn evidence_count(&self, selector: &Selector, window: Window) -> StoreResult<i64> {
        let Selector::Defined { slug, .. } = selector else {
            return self.evidence_count_scan(selector, window).await;
        };
        let (days, parts) = edges(window.from, window.to);
        let mut n = match days {
            Some((a, b)) => self.rollup_sums(slug, a, b).await?.0,
            None => 0,
        };
        for (from, to) in parts {
            n += self.evidence_count_scan(selector, Window { from, to }).await?;
        }
        Ok(n)
    }

    /// Items per topic created in `[from, to)`, tagged or not, largest first.
    pub async fn topic_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        self.counts_by_topic(false, from, to).await
    }

    /// Items per topic created in `[from, to)` and tagged performance or reliability, largest first.
    pub async fn tagged_topic_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        self.counts_by_topic(true, from, to).await
    }

    async fn counts_by_topic(&self, tagged: bool, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        let (days, parts) = edges(from, to);
        let mut counts: HashMap<String, i64> = HashMap::new();
        if let Some((a, b)) = days {
            let filter = if tagged { " AND (is_performance OR is_reliability)" } else { "" };
            let sql = format!(
                "SELECT topic, CAST(SUM(items) AS BIGINT) AS n FROM rollup_totals WHERE topic <> '' AND day >= $1 AND day < $2{filter} GROUP BY topic"
            );
            on_pool!(self, pool => {
                for r in sqlx::query(&sql).bind(a).bind(b).fetch_all(pool).await? {
                    *counts.entry(r.try_get("topic")?).or_insert(0) += r.try_get::<i64, _>("n")?;
                }
            });
        }
        for (a, b) in parts {
            let scanned = if tagged { self.tagged_topic_counts_scan(a, b).await? } else { self.topic_counts_scan(a, b).await? };
            for (topic, n) in scanned {
                *counts.entry(topic).or_insert(0) += n;
            }
        }
        let mut out: Vec<(String, i64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }

    /// (items, performance, reliability) of `topic`'s rows of the rollup totals on the days `[from, to)`.
    async fn rollup_sums(&self, topic: &str, from: i64, to: i64) -> StoreResult<(i64, i64, i64)> {
        on_pool!(self, pool => {
            let row = sqlx::query(SUMS).bind(topic).bind(from).bind(to).fetch_one(pool).await?;
            Ok((row.try_get("n")?, row.try_get("p")?, row.try_get("r")?))
        })
    }
}
