//! Emerging topics as data, for the weekly digest and `pushback emerging`: the performance and
//! reliability items of a window that no topic claims, clustered (`classify::emerging`), kept
//! when a cluster has at least `MIN_ITEMS` items from at least `MIN_ACCOUNTS` accounts, and
//! ranked by growth: the cluster's share of all feedback in the window's second half divided by
//! its share in the first half (a first half with none counts as one item, so a brand-new
//! complaint ranks by its size rather than as infinitely fast). Each comes with the topic a
//! *Make this a topic* button would store. `gather` reads the store; the rest is pure.

use crate::classify::emerging::{Params, Term, cluster};
use crate::classify::rules::Rules;
use crate::domain::{Category, Source, TopicDraft};
use crate::redact::redact;
use crate::stats::Change;
use crate::store::{PoolItem, Store, StoreResult};
use crate::text::{fold_whitespace, truncate_chars};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// The window clustered unless asked otherwise.
pub const DAYS: i64 = 14;
pub const MIN_ITEMS: usize = 5;
pub const MIN_ACCOUNTS: usize = 3;
/// Clusters the digest shows.
pub const IN_DIGEST: usize = 3;
const QUOTE_CHARS: usize = 300;
/// The most pool items clustered: a larger pool is sampled (`Store::unclaimed_sample`), each half
/// of the window in proportion to its pool, so the digest's time stays bounded at any size.
pub const SAMPLE: usize = 3000;
/// A name beyond the first becomes a topic pattern when at least this share of the cluster uses it.
const PATTERN_COVERAGE: f64 = 0.6;

/// The clusters of one window, fastest-growing first.
#[derive(Debug, Clone, Serialize)]
pub struct Emerging {
    pub from: DateTime<Utc>,
    /// Where the second half (what growth compares with the first) starts.
    pub middle: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Unclaimed performance and reliability items in the window.
    pub pooled: usize,
    /// How many of them were clustered (all, or a sample of `SAMPLE`). When a sample, a
    /// cluster's item counts are scaled back to the pool; its accounts, ARR, p-value and item ids
    /// are the sample's.
    pub sampled: usize,
    /// All feedback in the first and second half (what shares are taken of).
    pub totals: (u64, u64),
    pub clusters: Vec<EmergingCluster>,
}

/// One cluster: what it is about, who it touches, how fast it grows, and the topic it would make.
#[derive(Debug, Clone, Serialize)]
pub struct EmergingCluster {
    pub terms: Vec<Term>,
    pub items: usize,
    pub accounts: usize,
    /// ARR of its distinct accounts (those with a known ARR).
    pub arr_cents: i64,
    /// Items in the first and second half of the window.
    pub earlier: u64,
    pub recent: u64,
    /// Share of feedback in the second half over the first (see the module note).
    pub growth: f64,
    /// The exact test the packs use, on the two halves' shares.
    pub p_value: Option<f64>,
    pub category: Option<Category>,
    pub quote: Quote,
    pub item_ids: Vec<i64>,
    pub draft: TopicDraft,
}

/// The cluster's most typical item, redacted.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub id: i64,
    pub text: String,
    pub account: Option<String>,
    pub source: Source,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The emerging clusters of `[to - days, to)`, on at most `SAMPLE` pool items.
pub async fn gather(store: &Store, rules: &Rules, to: DateTime<Utc>, days: i64) -> StoreResult<Emerging> {
    gather_sampled(store, rules, to, days, SAMPLE).await
}

/// `gather` on at most `max` pool items.
pub async fn gather_sampled(store: &Store, rules: &Rules, to: DateTime<Utc>, days: i64, max: usize) -> StoreResult<Emerging> {
    let from = to - Duration::days(days);
    let middle = from + (to - from) / 2;
    let (first, second, pool_first, pool_second) = tokio::try_join!(
        store.count_between(from, middle),
        store.count_between(middle, to),
        store.unclaimed_count(from, middle),
        store.unclaimed_count(middle, to)
    )?;
    let totals = (u64::try_from(first).unwrap_or(0), u64::try_from(second).unwrap_or(0));
    let pools = (pool_first, pool_second);
    let pool = match quotas(pools, max) {
        None => store.unclaimed_items(from, to).await?,
        Some((a, b)) => {
            let (mut pool, later) =
                tokio::try_join!(store.unclaimed_sample(from, middle, Some(a)), store.unclaimed_sample(middle, to, Some(b)))?;
            pool.extend(later);
            pool.sort_by_key(|p| p.id);
            pool
        }
    };
    let mut found = build(&pool, rules, (from, middle, to), totals);
    let sampled =
        (pool.iter().filter(|p| p.created_at < middle).count() as u64, pool.iter().filter(|p| p.created_at >= middle).count() as u64);
    scale(&mut found, pools, sampled);
    Ok(found)
}

/// How many items of each half a sample of at most `max` takes: `None` (all) when the pool fits,
/// else each half in proportion to its pool.
pub fn quotas(pools: (u64, u64), max: usize) -> Option<(usize, usize)> {
    let total = pools.0 + pools.1;
    if total <= max as u64 {
        return None;
    }
    let first = ((max as f64 * pools.0 as f64 / total as f64).round() as usize).min(max);
    Some((first, max - first))
}

/// A sampled pool's clusters counted back to the whole pool: each half's items times its pool
/// over its sample, growth from those, ranked again. Nothing changes when nothing was sampled.
pub fn scale(found: &mut Emerging, pools: (u64, u64), sampled: (u64, u64)) {
    found.pooled = (pools.0 + pools.1) as usize;
    found.sampled = (sampled.0 + sampled.1) as usize;
    if sampled == pools {
        return;
    }
    let times = |n: u64, pool: u64, sample: u64| if sample == 0 { n } else { (n as f64 * pool as f64 / sample as f64).round() as u64 };
    for c in &mut found.clusters {
        c.earlier = times(c.earlier, pools.0, sampled.0);
        c.recent = times(c.recent, pools.1, sampled.1);
        c.items = (c.earlier + c.recent) as usize;
        c.growth = growth(c.recent, c.earlier, found.totals);
    }
    rank(&mut found.clusters);
}

/// Clusters of `pool` ranked by growth; `window` is (from, middle, to).
pub fn build(pool: &[PoolItem], rules: &Rules, window: (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>), totals: (u64, u64)) -> Emerging {
    let texts: Vec<String> = pool.iter().map(text_of).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let params = Params { min_items: MIN_ITEMS, ..Params::default() };
    let mut taken: Vec<String> = rules.topics.iter().map(|t| t.slug.clone()).collect();
    let recent: Vec<bool> = pool.iter().map(|p| p.created_at >= window.1).collect();
    let mut clusters: Vec<EmergingCluster> = cluster(&refs, &recent, &params)
        .into_iter()
        .filter_map(|c| {
            let items: Vec<&PoolItem> = c.members.iter().map(|&i| &pool[i]).collect();
            let e = describe(&items, &pool[c.typical], c.terms, window.1, totals, &mut taken);
            (e.accounts >= MIN_ACCOUNTS).then_some(e)
        })
        .collect();
    rank(&mut clusters);
    Emerging { from: window.0, middle: window.1, to: window.2, pooled: pool.len(), sampled: pool.len(), totals, clusters }
}

/// Fastest-growing first; then more recent items, more items, slug.
fn rank(clusters: &mut [EmergingCluster]) {
    clusters.sort_by(|a, b| {
        b.growth.total_cmp(&a.growth).then(b.recent.cmp(&a.recent)).then(b.items.cmp(&a.items)).then(a.draft.slug.cmp(&b.draft.slug))
    });
}

fn describe(
    items: &[&PoolItem],
    typical: &PoolItem,
    terms: Vec<Term>,
    middle: DateTime<Utc>,
    totals: (u64, u64),
    taken: &mut Vec<String>,
) -> EmergingCluster {
    let mut accounts: Vec<(&str, Option<i64>)> = items.iter().filter_map(|i| i.account_id.as_deref().map(|a| (a, i.arr_cents))).collect();
    accounts.sort_unstable();
    accounts.dedup_by(|a, b| a.0 == b.0);
    let recent = items.iter().filter(|i| i.created_at >= middle).count() as u64;
    let earlier = items.len() as u64 - recent;
    let category = majority(items);
    let draft = draft(&terms, category, taken);
    taken.push(draft.slug.clone());
    EmergingCluster {
        items: items.len(),
        accounts: accounts.len(),
        arr_cents: accounts.iter().filter_map(|a| a.1).sum(),
        earlier,
        recent,
        growth: growth(recent, earlier, totals),
        p_value: Change::new(recent, earlier, totals.1, totals.0).p_value,
        category,
        quote: Quote {
            id: typical.id,
            text: truncate_chars(&redact(&fold_whitespace(&text_of(typical))), QUOTE_CHARS),
            account: typical.account_name.clone().or_else(|| typical.account_id.clone()),
            source: typical.source,
            url: typical.url.clone(),
            created_at: typical.created_at,
        },
        item_ids: items.iter().map(|i| i.id).collect(),
        terms,
        draft,
    }
}

/// An item's words: the body, after the subject unless the body starts with it (subjects are
/// often the body's opening, cut with an ellipsis).
fn text_of(item: &PoolItem) -> String {
    let opening = item.subject.trim_end_matches(['…', '.']).trim_end();
    if opening.is_empty() || item.body.starts_with(opening) { item.body.clone() } else { format!("{}: {}", item.subject, item.body) }
}

/// Share of feedback in the second half over the first, the first counted as at least one item.
pub fn growth(recent: u64, earlier: u64, totals: (u64, u64)) -> f64 {
    let share = |n: u64, total: u64| if total == 0 { n as f64 } else { n as f64 / total as f64 };
    share(recent, totals.1) / share(earlier.max(1), totals.0)
}

/// The category at least two thirds of the items carry when the other is carried by fewer.
fn majority(items: &[&PoolItem]) -> Option<Category> {
    let n = items.len() as f64;
    let perf = items.iter().filter(|i| i.performance).count() as f64 / n;
    let rel = items.iter().filter(|i| i.reliability).count() as f64 / n;
    match (perf >= 2.0 / 3.0, rel >= 2.0 / 3.0) {
        (true, false) => Some(Category::Performance),
        (false, true) => Some(Category::Reliability),
        _ => None,
    }
}

/// The topic a cluster would become: as patterns its top word and the other names used by at
/// least 60% of it, a slug from the first two names that no topic has (`taken`), and a title.
pub fn draft(terms: &[Term], category: Option<Category>, taken: &[String]) -> TopicDraft {
    let words: Vec<&str> = terms.iter().map(|t| t.term.as_str()).collect();
    let ascii: Vec<String> = words.iter().map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect()).collect();
    let mut base = ascii.iter().filter(|w| !w.is_empty()).take(2).cloned().collect::<Vec<_>>().join("-");
    if base.is_empty() {
        base = "emerging".into();
    }
    let mut slug: String = base.chars().take(60).collect();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{}-{n}", base.chars().take(57).collect::<String>());
        n += 1;
    }
    let mut title = words.join(", ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    let patterns = terms
        .iter()
        .enumerate()
        .filter(|(i, t)| *i == 0 || t.coverage >= PATTERN_COVERAGE)
        .map(|(_, t)| format!(r"\b{}\b", regex::escape(&t.term)))
        .collect();
    TopicDraft { slug, title, patterns, category }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str) -> Term {
        Term { term: t.into(), coverage: if t == "rare" { 0.2 } else { 1.0 }, pool_share: 0.01 }
    }

    #[test]
    fn growth_is_the_change_in_share_with_an_empty_first_half_counted_as_one() {
        assert!((growth(20, 10, (1000, 1000)) - 2.0).abs() < 1e-12);
        assert!((growth(20, 10, (1000, 2000)) - 1.0).abs() < 1e-12, "all feedback doubled too");
        assert!((growth(9, 0, (1000, 1000)) - 9.0).abs() < 1e-12);
        assert!(growth(3, 12, (1000, 1000)) < 1.0);
        assert!(growth(0, 0, (0, 0)) == 0.0);
    }

    #[test]
    fn a_draft_is_named_by_the_terms_and_never_takes_a_known_slug() {
        let terms = [term("barcode"), term("scan"), term("c++"), term("rare")];
        let d = draft(&terms, Some(Category::Reliability), &[]);
        assert_eq!(d.slug, "barcode-scan");
        assert_eq!(d.title, "Barcode, scan, c++, rare");
        assert_eq!(d.patterns, vec![r"\bbarcode\b", r"\bscan\b", r"\bc\+\+\b"]);
        let d = draft(&terms, None, &["barcode-scan".into(), "barcode-scan-2".into()]);
        assert_eq!(d.slug, "barcode-scan-3");
        assert!(crate::classify::rules::is_valid_slug(&d.slug));
    }
}
