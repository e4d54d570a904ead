//! Topic figures over a window, shared by `/pushback top`, `/pushback topics` and the weekly
//! digest: each topic's count now and in the window before, who it touches, which topics are
//! rising, and whether a rise is more than noise (the exact test the packs use).

use crate::classify::rules::Rules;
use crate::domain::Category;
use crate::stats::Change;
use crate::store::{Store, StoreResult};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// One topic's counts: now, in the window before, and who is affected.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicStats {
    pub slug: String,
    pub title: String,
    pub category: Option<Category>,
    pub now: i64,
    pub before: i64,
    pub accounts: i64,
    pub arr_cents: i64,
    pub churn_notes: i64,
}

/// A rise unlikely to be noise: the topic's share of all feedback grew, by the exact
/// volume-adjusted test the evidence packs use (`crate::stats`), at p < 0.05.
pub fn is_significant_rise(t: &TopicStats, totals: (i64, i64)) -> bool {
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    t.now > t.before && Change::new(n(t.now), n(t.before), n(totals.0), n(totals.1)).significant
}

/// Topics that grew, largest rise first.
pub fn rising(rows: &[TopicStats], n: usize) -> Vec<&TopicStats> {
    let mut up: Vec<&TopicStats> = rows.iter().filter(|r| r.now > r.before).collect();
    up.sort_by(|a, b| (b.now - b.before).cmp(&(a.now - a.before)).then(b.now.cmp(&a.now)).then(a.slug.cmp(&b.slug)));
    up.truncate(n);
    up
}

/// Counts for every topic in `[from, to)` and the window before, largest first: items tagged
/// performance or reliability only (the digest and `/pushback top` are about complaints).
pub async fn topic_rows(
    store: &Store,
    rules: &Rules,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    category: Option<Category>,
) -> StoreResult<Vec<TopicStats>> {
    let before: HashMap<String, i64> = store.tagged_topic_counts(from - (to - from), from).await?.into_iter().collect();
    let now: HashMap<String, i64> = store.tagged_topic_counts(from, to).await?.into_iter().collect();
    let mut slugs: Vec<&String> = now.keys().chain(before.keys()).collect();
    slugs.sort();
    slugs.dedup();
    let mut rows: Vec<TopicStats> = slugs
        .into_iter()
        .map(|slug| {
            let topic = rules.topic(slug);
            TopicStats {
                slug: slug.clone(),
                title: topic.map_or_else(|| slug.clone(), |t| t.title.clone()),
                category: topic.and_then(|t| t.category),
                now: now.get(slug).copied().unwrap_or(0),
                before: before.get(slug).copied().unwrap_or(0),
                accounts: 0,
                arr_cents: 0,
                churn_notes: 0,
            }
        })
        .filter(|r| category.is_none() || r.category == category)
        .collect();
    rows.sort_by(|a, b| b.now.cmp(&a.now).then(b.before.cmp(&a.before)).then(a.slug.cmp(&b.slug)));
    Ok(rows)
}

/// Topic slugs and titles from the rules, with their volume over `days` to `now`.
pub async fn known_topics(store: &Store, rules: &Rules, now: DateTime<Utc>, days: i64) -> StoreResult<Vec<(String, String, i64)>> {
    let counts: HashMap<String, i64> = store.topic_counts(now - Duration::days(days), now).await?.into_iter().collect();
    Ok(rules.topics.iter().map(|t| (t.slug.clone(), t.title.clone(), counts.get(&t.slug).copied().unwrap_or(0))).collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn stats(slug: &str, now: i64, before: i64) -> TopicStats {
        TopicStats {
            slug: slug.into(),
            title: format!("Title of {slug}"),
            category: Some(Category::Performance),
            now,
            before,
            accounts: 3,
            arr_cents: 1_200_000,
            churn_notes: 1,
        }
    }

    #[test]
    fn significance_is_the_volume_adjusted_exact_test() {
        assert!(is_significant_rise(&stats("a", 30, 10), (1000, 1000)));
        assert!(!is_significant_rise(&stats("a", 12, 9), (1000, 1000)));
        assert!(!is_significant_rise(&stats("a", 4, 0), (1000, 1000)), "too few to tell");
        assert!(!is_significant_rise(&stats("a", 10, 20), (1000, 1000)), "a fall is not a rise");
        assert!(!is_significant_rise(&stats("a", 30, 10), (3000, 1000)), "all feedback tripled too");
    }
}
