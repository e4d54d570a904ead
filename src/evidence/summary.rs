//! What a pack counts, two ways that must agree: of its items (`Summary::of_items`, the CSV's
//! path and the reference) or of the rollups (`of_rollups`: the rollup totals and per-account
//! rollups for whole days, the items' edges, the quotes' candidates through the score index,
//! reasons and hash lines gathered in the database), so a pack costs about the same at any size.
//! `tests/api/pack_rollups.rs` holds the two to the same packs.

use super::quotes::{self, CANDIDATES, Quote, pick_quotes, pick_quotes_from_top};
use crate::domain::{Category, Kind, PackItem, Window};
use crate::store::{Store, StoreResult, TopicFigures};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub type Tally = BTreeMap<String, u64>;

/// What a pack counts of its topic in its window.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub items: u64,
    pub by_source: Tally,
    pub by_kind: Tally,
    pub by_category: Tally,
    pub accounts: u64,
    pub items_without_account: u64,
    /// The ten first accounts, largest ARR first (unknown last), then most items, then id.
    pub top_accounts: Vec<AccountLine>,
    pub revenue: Revenue,
    /// Items per week of `Window::weeks`, and per day from the window's start (for the metric).
    pub weekly: Vec<u64>,
    pub daily: Vec<u64>,
    pub quotes: Vec<Quote>,
    /// The eight most frequent reasons, most frequent first, then by name.
    pub deciding: Vec<(String, u64)>,
    pub items_hash: String,
    /// Every item, for the CSV: empty from the rollups.
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revenue {
    /// Sum of the ARR of distinct affected accounts with a known ARR.
    pub affected_arr_cents: i64,
    pub accounts_with_arr: u64,
    /// Churn notes on the topic in the window, and the ARR they took with them (the note's own
    /// lost ARR, else the account's ARR; each account counted once).
    pub churn_notes: u64,
    pub churned_accounts: u64,
    pub lost_arr_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountLine {
    pub id: String,
    pub name: Option<String>,
    pub plan: Option<String>,
    pub arr_cents: Option<i64>,
    pub items: u64,
    pub churned: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub account_id: Option<String>,
    pub account: Option<String>,
    pub arr_cents: Option<i64>,
    pub source: String,
    pub reference: String,
    pub kind: String,
    pub url: Option<String>,
    pub categories: String,
    pub text: String,
}

/// The quotes' first look: this many candidates, then four times as many, up to `CANDIDATES`.
const FIRST_CANDIDATES: usize = 40;

impl Summary {
    /// Of `items` (in the window, each once, in id order).
    pub fn of_items(items: &[PackItem], window: Window, category: Option<Category>, thresholds: (f64, f64), want: usize) -> Self {
        let (mut by_source, mut by_kind, mut by_category) = (Tally::new(), Tally::new(), Tally::new());
        let mut reasons: HashMap<&str, u64> = HashMap::new();
        for i in items {
            *by_source.entry(i.item.source.as_str().to_string()).or_insert(0) += 1;
            *by_kind.entry(i.item.kind.as_str().to_string()).or_insert(0) += 1;
            for c in i.item.classification.categories() {
                *by_category.entry(c.as_str().to_string()).or_insert(0) += 1;
            }
            for reason in &i.item.classification.explanation {
                *reasons.entry(reason.as_str()).or_insert(0) += 1;
            }
        }
        let weeks = window.weeks();
        let mut weekly = vec![0u64; weeks.len()];
        for i in items {
            if let Some(w) = window.week_index(i.item.created_at, weeks.len()) {
                weekly[w] += 1;
            }
        }
        let created: Vec<_> = items.iter().map(|i| i.item.created_at).collect();
        let (accounts, revenue) = accounts_and_revenue(items);
        let lines: String = items.iter().map(fingerprint_line).collect();
        Summary {
            items: items.len() as u64,
            by_source,
            by_kind,
            by_category,
            accounts: accounts.len() as u64,
            items_without_account: items.iter().filter(|i| i.item.account_id.is_none()).count() as u64,
            top_accounts: accounts.into_iter().take(10).collect(),
            revenue,
            weekly,
            daily: super::metric::daily_counts(&created, window),
            quotes: pick_quotes(items, category, thresholds, want),
            deciding: top_reasons(reasons.into_iter().map(|(k, v)| (k.to_string(), v))),
            items_hash: items_hash(&lines),
            rows: items.iter().map(row).collect(),
        }
    }

    /// Of the figures the rollups give (`Store::topic_figures`, weeks as its segments), the
    /// items per day, the chosen quotes, the reasons' counts and the items' joined fingerprint lines.
    pub fn of_figures(f: &TopicFigures, daily: Vec<i64>, quotes: Vec<Quote>, reasons: Vec<(String, i64)>, lines: &str) -> Self {
        let (mut by_source, mut by_kind, mut by_category) = (Tally::new(), Tally::new(), Tally::new());
        let mut n = 0;
        for (source, kind, performance, reliability, items) in &f.groups {
            let items = *items as u64;
            n += items;
            *by_source.entry(source.clone()).or_insert(0) += items;
            *by_kind.entry(kind.clone()).or_insert(0) += items;
            for (tagged, c) in [(performance, Category::Performance), (reliability, Category::Reliability)] {
                if *tagged {
                    *by_category.entry(c.as_str().to_string()).or_insert(0) += items;
                }
            }
        }
        let churned: BTreeSet<&str> = f.churned.iter().map(|c| c.id.as_str()).collect();
        let lost = |c: &crate::store::ChurnedAccount| c.notes.iter().map(|note| note.or(c.arr_cents).unwrap_or(0)).max().unwrap_or(0);
        let revenue = Revenue {
            affected_arr_cents: f.arr_cents,
            accounts_with_arr: f.accounts_with_arr as u64,
            churn_notes: by_kind.get(Kind::ChurnNote.as_str()).copied().unwrap_or(0),
            churned_accounts: f.churned.len() as u64,
            lost_arr_cents: f.churned.iter().map(lost).sum(),
        };
        let top_accounts = f
            .top_accounts
            .iter()
            .map(|a| AccountLine {
                id: a.id.clone(),
                name: a.name.clone(),
                plan: a.plan.clone(),
                arr_cents: a.arr_cents,
                items: a.items as u64,
                churned: churned.contains(a.id.as_str()),
            })
            .collect();
        Summary {
            items: n,
            by_source,
            by_kind,
            by_category,
            accounts: f.accounts as u64,
            items_without_account: n.saturating_sub(f.items_with_account as u64),
            top_accounts,
            revenue,
            weekly: f.segments.iter().map(|&c| c as u64).collect(),
            daily: daily.into_iter().map(|c| c as u64).collect(),
            quotes,
            deciding: top_reasons(reasons.into_iter().map(|(k, v)| (k, v as u64))),
            items_hash: items_hash(lines),
            rows: Vec::new(),
        }
    }
}

/// A topic's pack figures without reading its items: the rollups, the edges' items, the surest
/// candidates for the quotes (more only when the picker could still change its mind), the
/// reasons and the fingerprint lines aggregated in the database. `daily` only for a metric.
pub async fn of_rollups(
    store: &Store,
    topic: &str,
    window: Window,
    category: Option<Category>,
    thresholds: (f64, f64),
    want: usize,
    daily: bool,
) -> StoreResult<Summary> {
    let weeks = window.weeks();
    let cuts: Vec<i64> = weeks.iter().map(|w| w.from.timestamp()).chain(std::iter::once(window.to.timestamp())).collect();
    let figures = store.topic_figures(topic, window, &cuts).await?;
    let per_day = if daily { store.topic_segments(topic, &day_cuts(window)).await? } else { Vec::new() };
    let sources = figures.groups.iter().map(|g| g.0.as_str()).collect::<BTreeSet<_>>().len();
    let mut k = FIRST_CANDIDATES;
    let quotes = loop {
        let top = store.top_scored(topic, window, category, k as i64).await?;
        let complete = top.len() < k || k >= CANDIDATES;
        if let Some(q) = pick_quotes_from_top(&top, complete, sources, category, thresholds, want) {
            break q;
        }
        k = (k * 4).min(CANDIDATES);
    };
    let (reasons, lines) = store.topic_reasons_and_lines(topic, window).await?;
    Ok(Summary::of_figures(&figures, per_day, quotes, reasons, &lines))
}

/// The starts of the window's days (from its start) and its end: `metric::daily_counts`' buckets.
fn day_cuts(window: Window) -> Vec<i64> {
    let (from, to) = (window.from.timestamp(), window.to.timestamp());
    (0..window.days()).map(|d| from + d * 86_400).chain(std::iter::once(to)).collect()
}

/// The eight most frequent reasons, most frequent first, then by name.
fn top_reasons(counts: impl Iterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    let mut deciding: Vec<(String, u64)> = counts.filter(|(_, n)| *n > 0).collect();
    deciding.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    deciding.truncate(8);
    deciding
}

/// Distinct accounts, largest ARR first, and the revenue they stand for.
fn accounts_and_revenue(items: &[PackItem]) -> (Vec<AccountLine>, Revenue) {
    let mut by_id: BTreeMap<&str, AccountLine> = BTreeMap::new();
    let mut lost: BTreeMap<&str, i64> = BTreeMap::new();
    let mut churn_notes = 0;
    for i in items {
        let is_churn = i.item.kind == Kind::ChurnNote;
        churn_notes += u64::from(is_churn);
        let Some(id) = i.item.account_id.as_deref() else { continue };
        let line = by_id.entry(id).or_insert_with(|| AccountLine {
            id: id.to_string(),
            name: i.account_name.clone().or_else(|| i.item.account_name.clone()),
            plan: i.plan.clone(),
            arr_cents: i.arr_cents,
            items: 0,
            churned: false,
        });
        line.items += 1;
        if is_churn {
            line.churned = true;
            let amount = i.item.lost_arr_cents.or(i.arr_cents).unwrap_or(0);
            let entry = lost.entry(id).or_insert(0);
            *entry = (*entry).max(amount);
        }
    }
    let mut accounts: Vec<AccountLine> = by_id.into_values().collect();
    accounts.sort_by(|a, b| b.arr_cents.unwrap_or(-1).cmp(&a.arr_cents.unwrap_or(-1)).then(b.items.cmp(&a.items)).then(a.id.cmp(&b.id)));
    let revenue = Revenue {
        affected_arr_cents: accounts.iter().filter_map(|a| a.arr_cents).sum(),
        accounts_with_arr: accounts.iter().filter(|a| a.arr_cents.is_some()).count() as u64,
        churn_notes,
        churned_accounts: lost.len() as u64,
        lost_arr_cents: lost.values().sum(),
    };
    (accounts, revenue)
}

fn row(i: &PackItem) -> Row {
    Row {
        id: i.item.id,
        created_at: i.item.created_at,
        account_id: i.item.account_id.clone(),
        account: i.account_name.clone().or_else(|| i.item.account_name.clone()),
        arr_cents: i.arr_cents,
        source: i.item.source.as_str().to_string(),
        reference: quotes::reference(&i.item),
        kind: i.item.kind.as_str().to_string(),
        url: i.item.url.clone(),
        categories: i.item.classification.categories().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "),
        // Redacted when rendered (csv.rs): most packs are only ever shown in Slack.
        text: i.item.text(),
    }
}

/// What a pack's hash takes of one item: `id:created_at:content_hash:PR;` with P and R the tags
/// as 1 or 0. `Store::topic_reasons_and_lines` writes the same line in SQL.
pub fn fingerprint_line(i: &PackItem) -> String {
    let c = &i.item.classification;
    format!("{}:{}:{}:{}{};", i.item.id, i.item.created_at.timestamp(), i.content_hash, u8::from(c.performance), u8::from(c.reliability))
}

/// SHA-256 (first 16 bytes, hex) of the items' fingerprint lines joined in id order: stable for
/// the same items, different when any item's id, time, content or tags differ.
pub fn items_hash(lines: &str) -> String {
    hex::encode(&Sha256::digest(lines.as_bytes())[..16])
}
