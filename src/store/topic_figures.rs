//! A topic's figures in a window without reading its items (issue 22): what an evidence pack
//! counts, from the rollup totals (`rollup_totals`: sources, kinds, tags, days) and the
//! per-account rollups (`rollups`: accounts, their ARR and churn), for the whole UTC days of the
//! window; the parts of days at its edges come from the items, as `count_between` does. Every
//! aggregate runs in the database, so a pack gets tens of rows whatever its size. The quotes'
//! candidates (`top_scored`) come through `feedback_topics`' copy of the two scores; the reasons
//! and the pack's hash lines are gathered from the items in one pass in the database
//! (`topic_reasons_and_lines`).

use super::rollup_delta::cut;
use super::{FEEDBACK_COLUMNS, Store, StoreResult, from_unix};
use crate::domain::{Category, Classification, Feedback, Kind, PackItem, Source, Window};
use anyhow::Context;
use sqlx::Row;
use std::collections::BTreeMap;

/// An account among the topic's in the window: its items there and its record.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicAccount {
    pub id: String,
    pub items: i64,
    /// The account record's name, else the account's first item's (the name it sent).
    pub name: Option<String>,
    pub plan: Option<String>,
    pub arr_cents: Option<i64>,
}

/// An account with churn notes on the topic in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnedAccount {
    pub id: String,
    /// The notes' own lost ARR as the per-account maximum needs it: the largest stated figure
    /// (or every stated one), and `None` for each note that states none.
    pub notes: Vec<Option<i64>>,
    pub arr_cents: Option<i64>,
}

/// What `Store::topic_figures` found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopicFigures {
    /// Items per (source, kind, performance, reliability), none at zero.
    pub groups: Vec<(String, String, bool, bool, i64)>,
    /// Items in each of the segments asked for.
    pub segments: Vec<i64>,
    /// Distinct accounts, their items, and the ARR of those with one.
    pub accounts: i64,
    pub items_with_account: i64,
    pub arr_cents: i64,
    pub accounts_with_arr: i64,
    /// The ten first by ARR (unknown last), then items, then id.
    pub top_accounts: Vec<TopicAccount>,
    pub churned: Vec<ChurnedAccount>,
}

/// The topic's rows in the window as (account, kind, items, lost ARR, items stating one): the
/// per-account rollups of whole days [$2, $3), and the items of the edges [$4, $5) and [$6, $7)
/// (each its own index range: with `OR` SQLite read every item of the topic, 90 ms at 1M).
const TOPIC_ROWS: &str = "WITH src (account_id, kind, items, lost_arr_cents, lost_arr_items) AS ( \
    SELECT account_id, kind, items, lost_arr_cents, lost_arr_items FROM rollups WHERE topic = $1 AND day >= $2 AND day < $3 \
    UNION ALL \
    SELECT COALESCE(f.account_id, ''), f.kind, 1, COALESCE(f.lost_arr_cents, 0), CASE WHEN f.lost_arr_cents IS NULL THEN 0 ELSE 1 END \
    FROM feedback_topics t JOIN feedback f ON f.id = t.item_id WHERE t.topic = $1 AND t.created_at >= $4 AND t.created_at < $5 \
    UNION ALL \
    SELECT COALESCE(f.account_id, ''), f.kind, 1, COALESCE(f.lost_arr_cents, 0), CASE WHEN f.lost_arr_cents IS NULL THEN 0 ELSE 1 END \
    FROM feedback_topics t JOIN feedback f ON f.id = t.item_id WHERE t.topic = $1 AND t.created_at >= $6 AND t.created_at < $7), \
    acc AS (SELECT account_id, SUM(items) AS n FROM src WHERE account_id <> '' GROUP BY account_id HAVING SUM(items) > 0) ";

const ACCOUNTS: &str = "SELECT COUNT(*) AS accounts, CAST(COALESCE(SUM(acc.n), 0) AS BIGINT) AS with_account, \
    CAST(COALESCE(SUM(a.arr_cents), 0) AS BIGINT) AS arr, COUNT(a.arr_cents) AS with_arr \
    FROM acc LEFT JOIN accounts a ON a.account_id = acc.account_id";

/// `{collate}`: ids compare byte by byte, as in Rust, on both backends.
const TOP_ACCOUNTS: &str = "SELECT acc.account_id, CAST(acc.n AS BIGINT) AS n, a.name, a.plan, a.arr_cents \
    FROM acc LEFT JOIN accounts a ON a.account_id = acc.account_id \
    ORDER BY COALESCE(a.arr_cents, -1) DESC, acc.n DESC, acc.account_id{collate} LIMIT 10";

/// Per account with churn notes: the notes, how many state a lost ARR, the largest figure a row
/// holding exactly one stated figure gives (a row is a day, source and pair of tags: two notes
/// of one account there are rare), and the most stated figures in one row.
const CHURNED: &str = "SELECT src.account_id, CAST(SUM(src.items) AS BIGINT) AS notes, CAST(SUM(src.lost_arr_items) AS BIGINT) AS stated, \
    MAX(CASE WHEN src.lost_arr_items = 1 THEN src.lost_arr_cents END) AS largest, CAST(MAX(src.lost_arr_items) AS BIGINT) AS most_in_row, \
    MAX(a.arr_cents) AS arr FROM src LEFT JOIN accounts a ON a.account_id = src.account_id \
    WHERE src.kind = 'churn_note' AND src.account_id <> '' AND src.items <> 0 GROUP BY src.account_id HAVING SUM(src.items) > 0";

/// Items per (source, kind, tags) of the rollup totals' whole days [$2, $3).
const GROUPS_OF_DAYS: &str = "SELECT source, kind, is_performance, is_reliability, CAST(SUM(items) AS BIGINT) AS n FROM rollup_totals \
    WHERE topic = $1 AND day >= $2 AND day < $3 GROUP BY source, kind, is_performance, is_reliability";

/// The same of the items in the edges [$2, $3) and [$4, $5).
const GROUPS_OF_EDGES: &str = "SELECT f.source, f.kind, f.is_performance, f.is_reliability, COUNT(*) AS n \
    FROM feedback_topics t JOIN feedback f ON f.id = t.item_id WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3 \
    GROUP BY f.source, f.kind, f.is_performance, f.is_reliability \
    UNION ALL SELECT f.source, f.kind, f.is_performance, f.is_reliability, COUNT(*) AS n \
    FROM feedback_topics t JOIN feedback f ON f.id = t.item_id WHERE t.topic = $1 AND t.created_at >= $4 AND t.created_at < $5 \
    GROUP BY f.source, f.kind, f.is_performance, f.is_reliability";

const PER_DAY: &str =
    "SELECT day, CAST(SUM(items) AS BIGINT) AS n FROM rollup_totals WHERE topic = $1 AND day >= $2 AND day < $3 GROUP BY day";

/// A window's whole days as a unix-second range ((0, 0) when none) and its two edges.
fn ranges(window: Window) -> ((i64, i64), [(i64, i64); 2]) {
    let c = cut(window.from.timestamp(), window.to.timestamp());
    (c.days.unwrap_or((0, 0)), c.edges.map(|e| e.unwrap_or((0, 0))))
}

impl Store {
    /// The topic's counts, accounts, ARR and churn in `window`, and its items in each segment
    /// between consecutive `cuts` (unix seconds, ascending: the weeks, the days).
    pub async fn topic_figures(&self, topic: &str, window: Window, cuts: &[i64]) -> StoreResult<TopicFigures> {
        let mut out = TopicFigures { groups: self.topic_groups(topic, window).await?, ..Default::default() };
        out.segments = self.topic_segments(topic, cuts).await?;
        let ((d0, d1), [(a0, a1), (b0, b1)]) = ranges(window);
        let pg = matches!(self, Store::Postgres(_));
        let top_sql = format!("{TOPIC_ROWS}{}", TOP_ACCOUNTS.replace("{collate}", if pg { " COLLATE \"C\"" } else { "" }));
        let (accounts_sql, churn_sql) = (format!("{TOPIC_ROWS}{ACCOUNTS}"), format!("{TOPIC_ROWS}{CHURNED}"));
        let mut churned = Vec::new();
        macro_rules! bound {
            ($sql:expr) => {
                sqlx::query($sql).bind(topic).bind(d0).bind(d1).bind(a0).bind(a1).bind(b0).bind(b1)
            };
        }
        on_pool!(self, pool => {
            let r = bound!(&accounts_sql).fetch_one(pool).await?;
            out.accounts = r.try_get("accounts")?;
            out.items_with_account = r.try_get("with_account")?;
            out.arr_cents = r.try_get("arr")?;
            out.accounts_with_arr = r.try_get("with_arr")?;
            for r in bound!(&top_sql).fetch_all(pool).await? {
                out.top_accounts.push(TopicAccount {
                    id: r.try_get("account_id")?,
                    items: r.try_get("n")?,
                    name: r.try_get("name")?,
                    plan: r.try_get("plan")?,
                    arr_cents: r.try_get("arr_cents")?,
                });
            }
            for r in bound!(&churn_sql).fetch_all(pool).await? {
                let row: (String, i64, i64, Option<i64>, i64, Option<i64>) = (
                    r.try_get("account_id")?,
                    r.try_get("notes")?,
                    r.try_get("stated")?,
                    r.try_get("largest")?,
                    r.try_get("most_in_row")?,
                    r.try_get("arr")?,
                );
                churned.push(row);
            }
        });
        for a in &mut out.top_accounts {
            if a.name.is_none() {
                a.name = self.first_account_name(topic, &a.id, window).await?;
            }
        }
        for (id, notes, stated, largest, most_in_row, arr_cents) in churned {
            // Rows with one stated figure each give the largest; a row with two needs its notes.
            let notes = match (stated, most_in_row) {
                (0, _) => vec![None; notes as usize],
                (_, ..=1) => std::iter::once(largest).chain(std::iter::repeat_n(None, (notes - stated).max(0) as usize)).collect(),
                _ => self.churn_figures(topic, &id, window).await?,
            };
            out.churned.push(ChurnedAccount { id, notes, arr_cents });
        }
        Ok(out)
    }

    /// Items per (source, kind, tags): the totals' whole days plus the edges' items.
    async fn topic_groups(&self, topic: &str, window: Window) -> StoreResult<Vec<(String, String, bool, bool, i64)>> {
        let ((d0, d1), [(a0, a1), (b0, b1)]) = ranges(window);
        let mut sums: BTreeMap<(String, String, bool, bool), i64> = BTreeMap::new();
        on_pool!(self, pool => {
            let days = sqlx::query(GROUPS_OF_DAYS).bind(topic).bind(d0).bind(d1).fetch_all(pool).await?;
            let edges = if (a0, a1, b0, b1) == (0, 0, 0, 0) {
                Vec::new()
            } else {
                sqlx::query(GROUPS_OF_EDGES).bind(topic).bind(a0).bind(a1).bind(b0).bind(b1).fetch_all(pool).await?
            };
            for r in days.iter().chain(&edges) {
                let key = (r.try_get("source")?, r.try_get("kind")?, r.try_get("is_performance")?, r.try_get("is_reliability")?);
                *sums.entry(key).or_insert(0) += r.try_get::<i64, _>("n")?;
            }
        });
        Ok(sums.into_iter().filter(|(_, n)| *n != 0).map(|((s, k, p, r), n)| (s, k, p, r, n)).collect())
    }

    /// The topic's items in each `[cuts[i], cuts[i + 1])`: the totals per day for whole days,
    /// a count of `feedback_topics`' key (index only) for the parts of days.
    pub async fn topic_segments(&self, topic: &str, cuts: &[i64]) -> StoreResult<Vec<i64>> {
        let (Some(&first), Some(&last)) = (cuts.first(), cuts.last()) else { return Ok(Vec::new()) };
        let span = cut(first, last).days.unwrap_or((0, 0));
        let mut per_day: BTreeMap<i64, i64> = BTreeMap::new();
        on_pool!(self, pool => {
            for r in sqlx::query(PER_DAY).bind(topic).bind(span.0).bind(span.1).fetch_all(pool).await? {
                per_day.insert(r.try_get("day")?, r.try_get("n")?);
            }
        });
        let mut out = Vec::with_capacity(cuts.len().saturating_sub(1));
        let mut edges: Vec<(usize, i64, i64)> = Vec::new();
        for (i, w) in cuts.windows(2).enumerate() {
            let c = cut(w[0], w[1]);
            out.push(c.days.map_or(0, |(a, b)| per_day.range(a..b).map(|(_, n)| n).sum()));
            edges.extend(c.edges.into_iter().flatten().map(|(a, b)| (i, a, b)));
        }
        for chunk in edges.chunks(100) {
            for (i, n) in self.count_topic_ranges(topic, chunk).await? {
                out[i] += n;
            }
        }
        Ok(out)
    }

    /// The topic's items in each range of `ranges` (segment, from, to), one statement.
    async fn count_topic_ranges(&self, topic: &str, ranges: &[(usize, i64, i64)]) -> StoreResult<Vec<(usize, i64)>> {
        let sql = (0..ranges.len())
            .map(|k| {
                format!(
                    "SELECT {k} AS k, COUNT(*) AS n FROM feedback_topics WHERE topic = $1 AND created_at >= ${} AND created_at < ${}",
                    2 * k + 2,
                    2 * k + 3
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        on_pool!(self, pool => {
            let mut q = sqlx::query(&sql).bind(topic);
            for (_, a, b) in ranges {
                q = q.bind(*a).bind(*b);
            }
            let mut out = Vec::with_capacity(ranges.len());
            for r in q.fetch_all(pool).await? {
                let k: i32 = r.try_get("k")?;
                out.push((ranges[k as usize].0, r.try_get::<i64, _>("n")?));
            }
            Ok(out)
        })
    }

    /// The name the account's first item of the topic in the window was sent with.
    async fn first_account_name(&self, topic: &str, account: &str, window: Window) -> StoreResult<Option<String>> {
        on_pool!(self, pool => {
            let name: Option<Option<String>> = sqlx::query_scalar(
                "SELECT f.account_name FROM feedback f WHERE f.account_id = $1 AND f.created_at >= $3 AND f.created_at < $4 \
                 AND EXISTS (SELECT 1 FROM feedback_topics t WHERE t.topic = $2 AND t.created_at = f.created_at AND t.item_id = f.id) ORDER BY f.id LIMIT 1",
            )
            .bind(account).bind(topic).bind(window.from.timestamp()).bind(window.to.timestamp())
            .fetch_optional(pool).await?;
            Ok(name.flatten())
        })
    }

    /// The lost ARR each of the account's churn notes on the topic in the window states.
    async fn churn_figures(&self, topic: &str, account: &str, window: Window) -> StoreResult<Vec<Option<i64>>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar(
                "SELECT f.lost_arr_cents FROM feedback f WHERE f.account_id = $1 AND f.kind = 'churn_note' AND f.created_at >= $3 \
                 AND f.created_at < $4 AND EXISTS (SELECT 1 FROM feedback_topics t WHERE t.topic = $2 AND t.created_at = f.created_at AND t.item_id = f.id)",
            )
            .bind(account).bind(topic).bind(window.from.timestamp()).bind(window.to.timestamp())
            .fetch_all(pool).await?)
        })
    }

    /// The topic's `limit` surest items in the window by `category`'s score (the higher of the
    /// two without one), newer first on a tie, then by id: the quotes' candidates, read through
    /// `feedback_topics`' copy of the scores (`feedback_topics_scores`: the window's index
    /// entries, sorted, then `limit` items).
    pub async fn top_scored(&self, topic: &str, window: Window, category: Option<Category>, limit: i64) -> StoreResult<Vec<PackItem>> {
        let score = match category {
            Some(Category::Performance) => "score_performance",
            Some(Category::Reliability) => "score_reliability",
            None => "(CASE WHEN score_performance >= score_reliability THEN score_performance ELSE score_reliability END)",
        };
        let sql = format!(
            "SELECT {FEEDBACK_COLUMNS}, f.content_hash, a.name AS acct_name, a.plan AS acct_plan, a.arr_cents AS acct_arr \
             FROM (SELECT item_id FROM feedback_topics WHERE topic = $1 AND created_at >= $2 AND created_at < $3 \
             ORDER BY {score} DESC, created_at DESC, item_id LIMIT $4) k \
             JOIN feedback f ON f.id = k.item_id LEFT JOIN accounts a ON a.account_id = f.account_id"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(topic).bind(window.from.timestamp()).bind(window.to.timestamp()).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(pack_item_from_row!(row));
            }
            Ok(out)
        })
    }

    /// The topic's items in the window, read once in the database: how often each reason
    /// (`term:`, `rule:`) explains them, and their fingerprint lines (`id:created_at:content_hash:PR;`,
    /// what a pack's hash is taken of) joined in id order. Two rows' worth of text, whatever
    /// the pack's size.
    pub async fn topic_reasons_and_lines(&self, topic: &str, window: Window) -> StoreResult<(Vec<(String, i64)>, String)> {
        let line = "CAST(f.id AS TEXT) || ':' || CAST(f.created_at AS TEXT) || ':' || f.content_hash || ':' || \
                    CASE WHEN f.is_performance THEN '1' ELSE '0' END || CASE WHEN f.is_reliability THEN '1' ELSE '0' END || ';'";
        let (lines, reasons) = match self {
            Store::Sqlite(_) => (format!("group_concat({line}, '' ORDER BY f.id)"), "group_concat(f.explanation, char(10))"),
            Store::Postgres(_) => (format!("string_agg({line}, '' ORDER BY f.id)"), "string_agg(f.explanation, chr(10))"),
        };
        let sql = format!(
            "SELECT {lines} AS lines, {reasons} AS reasons FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
             WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3"
        );
        let (lines, explanations): (Option<String>, Option<String>) = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(topic).bind(window.from.timestamp()).bind(window.to.timestamp()).fetch_one(pool).await?
        });
        let mut counts: BTreeMap<String, i64> = BTreeMap::new();
        for explanation in explanations.as_deref().unwrap_or_default().split('\n').filter(|l| !l.is_empty()) {
            let reasons: Vec<String> = serde_json::from_str(explanation).context("feedback.explanation is not a JSON array")?;
            for reason in reasons {
                *counts.entry(reason).or_insert(0) += 1;
            }
        }
        Ok((counts.into_iter().collect(), lines.unwrap_or_default()))
    }
}
