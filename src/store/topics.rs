//! Topic rows (`feedback_topics`, one per item and topic at the item's creation time): counts
//! per topic, one topic's totals and its recent items. The digest, `/pushback top` and spike
//! alerts count only items tagged performance or reliability (`TAGGED`): a topic without a
//! category in rules.toml also matches questions ("How do I export a GPX file?") that are
//! neither, and those are not complaints.

use super::{FEEDBACK_COLUMNS, Store, StoreResult, from_unix};
use crate::domain::{Category, Classification, Feedback, Kind, PackItem, Source};
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

/// The condition on `feedback f` that keeps items tagged performance or reliability.
pub(crate) const TAGGED: &str = "(f.is_performance OR f.is_reliability)";

/// The topic rows of the items created in `[$1, $2)`, found through the items' `created_at`
/// index and then each item's topics: these counts cover every topic over a short span (the
/// edge hours of a window), where the topics' own key `(topic, created_at, ...)` would be read
/// whole (40 ms against 2 ms for 20 hours at 1M items on SQLite).
const BY_ITEM_TIME: &str = "FROM feedback f JOIN feedback_topics t ON t.item_id = f.id WHERE f.created_at >= $1 AND f.created_at < $2";

/// Which tagged items: one topic's, or every item of a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Topic(&'a str),
    Category(Category),
}

impl Scope<'_> {
    /// `FROM ... WHERE ...` over `feedback f` (joined to `accounts a` when asked) taking `$1`
    /// (the returned parameter), `$2` and `$3` (the window).
    fn plan(self, accounts: bool) -> (String, String) {
        let join = if accounts { " LEFT JOIN accounts a ON a.account_id = f.account_id" } else { "" };
        match self {
            Scope::Topic(slug) => (
                format!(
                    "FROM feedback_topics t JOIN feedback f ON f.id = t.item_id{join} \
                     WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3 AND {TAGGED}"
                ),
                slug.to_string(),
            ),
            Scope::Category(c) => (
                format!(
                    "FROM feedback f{join} WHERE f.created_at >= $2 AND f.created_at < $3 \
                     AND (CASE WHEN $1 = 'performance' THEN f.is_performance ELSE f.is_reliability END)"
                ),
                c.as_str().to_string(),
            ),
        }
    }
}

impl Store {
    /// Items per topic created in `[from, to)`, tagged or not, largest first, counted from the
    /// items (`topic_counts` reads the rollups where it can).
    pub async fn topic_counts_scan(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        let sql = format!("SELECT t.topic, COUNT(*) AS n {BY_ITEM_TIME} GROUP BY t.topic ORDER BY n DESC, t.topic");
        self.counts_per_topic(&sql, from, to).await
    }

    /// Items per topic created in `[from, to)` and tagged performance or reliability, largest
    /// first, counted from the items (`tagged_topic_counts` reads the rollups where it can).
    pub async fn tagged_topic_counts_scan(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        let sql = format!("SELECT t.topic, COUNT(*) AS n {BY_ITEM_TIME} AND {TAGGED} GROUP BY t.topic ORDER BY n DESC, t.topic");
        self.counts_per_topic(&sql, from, to).await
    }

    async fn counts_per_topic(&self, sql: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(sql).bind(from.timestamp()).bind(to.timestamp()).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((r.try_get("topic")?, r.try_get("n")?));
            }
            Ok(out)
        })
    }

    /// The newest tagged items of `topic` created in `[from, to)`.
    pub async fn recent_topic_items(&self, topic: &str, from: DateTime<Utc>, to: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Feedback>> {
        on_pool!(self, pool => {
            let sql = format!("SELECT {FEEDBACK_COLUMNS} FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
                               WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3 AND {TAGGED} \
                               ORDER BY t.created_at DESC, f.id DESC LIMIT $4");
            let rows = sqlx::query(&sql)
                .bind(topic).bind(from.timestamp()).bind(to.timestamp()).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(feedback_from_row!(row));
            }
            Ok(out)
        })
    }

    /// Tagged items, distinct accounts, their ARR and churn notes of `topic` in `[from, to)`.
    pub async fn topic_totals(&self, topic: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<TopicTotals> {
        self.scope_totals(Scope::Topic(topic), from, to).await
    }

    /// The same for a topic or a whole category.
    pub async fn scope_totals(&self, scope: Scope<'_>, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<TopicTotals> {
        let (from_where, param) = scope.plan(false);
        self.totals_of(&format!("SELECT f.account_id, f.kind {from_where}"), &param, from, to).await
    }

    /// The newest tagged items of a topic or category in `[from, to)`, with their accounts.
    pub async fn scope_items(&self, scope: Scope<'_>, from: DateTime<Utc>, to: DateTime<Utc>, limit: i64) -> StoreResult<Vec<PackItem>> {
        let (from_where, param) = scope.plan(true);
        let sql = format!(
            "SELECT {FEEDBACK_COLUMNS}, f.content_hash, a.name AS acct_name, a.plan AS acct_plan, a.arr_cents AS acct_arr {from_where} \
             ORDER BY f.created_at DESC, f.id DESC LIMIT $4"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(&param).bind(from.timestamp()).bind(to.timestamp()).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(pack_item_from_row!(row));
            }
            Ok(out)
        })
    }

    /// Totals over `items` (a query of `account_id, kind` taking `$1..$3`).
    async fn totals_of(&self, items: &str, param: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<TopicTotals> {
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT COUNT(*) AS items, COUNT(DISTINCT account_id) AS accounts, \
                                             SUM(CASE WHEN kind = 'churn_note' THEN 1 ELSE 0 END) AS churn FROM ({items}) i"))
                .bind(param).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            let arr: i64 = sqlx::query_scalar(&format!("SELECT CAST(COALESCE(SUM(arr_cents), 0) AS BIGINT) FROM accounts \
                                                         WHERE account_id IN (SELECT account_id FROM ({items}) i)"))
                .bind(param).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            Ok(TopicTotals {
                items: row.try_get("items")?,
                accounts: row.try_get("accounts")?,
                arr_cents: arr,
                churn_notes: row.try_get::<Option<i64>, _>("churn")?.unwrap_or(0),
            })
        })
    }
}
