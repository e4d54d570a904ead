//! The evidence queries: a topic's items in a window (with their accounts' records), counts for
//! the previous window, and all feedback in a window. Topics from rules.toml read the
//! `feedback_topics` index; free slugs use the backend's full-text search (SQLite FTS5 over
//! `feedback_fts`, PostgreSQL `tsvector` in `feedback.search`).

use super::{FEEDBACK_COLUMNS, Store, StoreResult, from_unix};
use crate::domain::{Category, Classification, Feedback, Kind, PackItem, Selector, Source, Window};
use anyhow::Context;
use sqlx::Row;

/// The account record's columns a pack reads beside `FEEDBACK_COLUMNS`.
const ACCOUNT_COLUMNS: &str = "f.content_hash, a.name AS acct_name, a.plan AS acct_plan, a.arr_cents AS acct_arr";

/// Where-clause and the one text parameter for a selector on each backend. Only fixed SQL is
/// spliced in; the user's words travel as the bound parameter.
fn plan(selector: &Selector, postgres: bool) -> (String, String) {
    match selector {
        Selector::Defined { slug, .. } => (
            "FROM feedback_topics t JOIN feedback f ON f.id = t.item_id LEFT JOIN accounts a ON a.account_id = f.account_id \
             WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3"
                .to_string(),
            slug.clone(),
        ),
        Selector::Search { categories, .. } => {
            let filter = match categories.as_slice() {
                [] => String::new(),
                cs => format!(
                    " AND ({})",
                    cs.iter()
                        .map(|c| match c {
                            Category::Performance => "f.is_performance",
                            Category::Reliability => "f.is_reliability",
                        })
                        .collect::<Vec<_>>()
                        .join(" OR ")
                ),
            };
            if postgres {
                (
                    format!(
                        "FROM feedback f LEFT JOIN accounts a ON a.account_id = f.account_id \
                         WHERE f.search @@ to_tsquery('english', $1) AND f.created_at >= $2 AND f.created_at < $3{filter}"
                    ),
                    selector.tsquery().unwrap_or_default(),
                )
            } else {
                (
                    format!(
                        "FROM feedback_fts JOIN feedback f ON f.id = feedback_fts.rowid LEFT JOIN accounts a ON a.account_id = f.account_id \
                         WHERE feedback_fts MATCH $1 AND f.created_at >= $2 AND f.created_at < $3{filter}"
                    ),
                    selector.fts5_query().unwrap_or_default(),
                )
            }
        }
    }
}

/// What a pack is built from: the selector's items in the window, its count in the previous
/// window of equal length, and all feedback in both windows.
#[derive(Debug, Clone)]
pub struct EvidenceRows {
    pub items: Vec<PackItem>,
    pub previous_count: i64,
    pub total_current: i64,
    pub total_previous: i64,
}

impl Store {
    /// The four independent queries behind a pack. PostgreSQL runs each in its own server
    /// process, so they go at once (a free-text pack at 1M items: p99 280 -> 175 ms, the two
    /// full-text index scans overlap). SQLite's run on this process's cores and measured better
    /// one after another (p99 173-185 ms against 227-240 ms at once). BENCHMARKS.md, evidence.
    pub async fn evidence_rows(&self, selector: &Selector, window: Window) -> StoreResult<EvidenceRows> {
        self.evidence_parts(selector, window, true).await
    }

    /// `evidence_rows` without the items (`items` empty): a pack built from the rollups.
    pub async fn evidence_counts(&self, selector: &Selector, window: Window) -> StoreResult<EvidenceRows> {
        self.evidence_parts(selector, window, false).await
    }

    async fn evidence_parts(&self, selector: &Selector, window: Window, with_items: bool) -> StoreResult<EvidenceRows> {
        let prev = window.previous();
        let items = async {
            match with_items {
                true => self.evidence_items(selector, window).await,
                false => Ok(Vec::new()),
            }
        };
        let previous_count = self.evidence_count(selector, prev);
        let total_current = self.count_between(window.from, window.to);
        let total_previous = self.count_between(prev.from, prev.to);
        let (items, previous_count, total_current, total_previous) = match self {
            Store::Postgres(_) => tokio::try_join!(items, previous_count, total_current, total_previous)?,
            Store::Sqlite(_) => (items.await?, previous_count.await?, total_current.await?, total_previous.await?),
        };
        Ok(EvidenceRows { items, previous_count, total_current, total_previous })
    }

    /// The selector's items created in the window, with their accounts' name, plan and ARR.
    pub async fn evidence_items(&self, selector: &Selector, window: Window) -> StoreResult<Vec<PackItem>> {
        let (from_where, param) = plan(selector, matches!(self, Store::Postgres(_)));
        let sql = format!("SELECT {FEEDBACK_COLUMNS}, {ACCOUNT_COLUMNS} {from_where}");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(&param).bind(window.from.timestamp()).bind(window.to.timestamp()).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(pack_item_from_row!(row));
            }
            Ok(out)
        })
    }

    /// How many of the selector's items were created in the window, counted from the items
    /// (`evidence_count` reads the rollups where it can).
    pub async fn evidence_count_scan(&self, selector: &Selector, window: Window) -> StoreResult<i64> {
        let (from_where, param) = plan(selector, matches!(self, Store::Postgres(_)));
        let sql = format!("SELECT COUNT(*) {from_where}");
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar(&sql).bind(&param).bind(window.from.timestamp()).bind(window.to.timestamp()).fetch_one(pool).await?)
        })
    }

    /// All feedback created in `[from, to)`, counted from the items' `created_at` index: the
    /// edges of a window for `count_between`, which reads the rollup totals for whole days.
    pub(super) async fn count_items_between(
        &self,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<i64> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM feedback WHERE created_at >= $1 AND created_at < $2")
                .bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?)
        })
    }
}
