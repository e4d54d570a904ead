//! "Where customers hurt": the month's topics by ARR at risk, each with the packs' test against
//! the window before and its weekly counts over the quarter (the trend chart).

use super::Month;
use crate::classify::Classifier;
use crate::digest::topics::topic_rows;
use crate::domain::Window;
use crate::evidence::pack::WeekCount;
use crate::stats::Change;
use crate::store::{Store, StoreResult};
use serde::Serialize;
use std::collections::HashMap;

/// A topic customers complained about this month, with the ARR of the accounts it touched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HurtTopic {
    pub slug: String,
    pub title: String,
    /// Items tagged performance or reliability, this month and in the window of equal length before.
    pub items: i64,
    pub items_before: i64,
    pub accounts: i64,
    pub arr_at_risk_cents: i64,
    pub churn_notes: i64,
    /// Its share of all feedback grew against the window before (a topic new this month too).
    pub rising: bool,
    /// The packs' volume-adjusted exact test of this month against the window before.
    pub p_value: Option<f64>,
    pub significant: bool,
    /// The packs' words: "3.0× more than the previous 30 days (6 vs 2, p = 0.31); not a significant change".
    pub trend: String,
    /// The linked Prometheus metric's change from last month, for the top topics with a `metric`
    /// in rules.toml (`None`: no metric linked, or not a top topic).
    pub metric: Option<super::metric::MetricChange>,
}

/// Every topic with items this month by ARR at risk (then items, then slug): the digest's
/// topic counts and the packs' test, over the month and the window of equal length before it.
pub async fn hurt_topics(store: &Store, classifier: &Classifier, month: Month) -> StoreResult<Vec<HurtTopic>> {
    let (from, to) = month.window();
    let days = (to - from).num_days();
    let totals = (store.category_counts(from, to).await?.0, store.category_counts(from - (to - from), from).await?.0);
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    let mut out = Vec::new();
    for t in topic_rows(store, &classifier.rules, from, to, None).await?.into_iter().filter(|t| t.now > 0) {
        let reach = store.topic_totals(&t.slug, from, to).await?;
        let change = Change::new(n(t.now), n(t.before), n(totals.0), n(totals.1));
        out.push(HurtTopic {
            trend: change.describe(days),
            rising: change.share_ratio.map_or(t.before == 0, |r| r > 1.0),
            p_value: change.p_value,
            significant: change.significant,
            slug: t.slug,
            title: t.title,
            items: t.now,
            items_before: t.before,
            accounts: reach.accounts,
            arr_at_risk_cents: reach.arr_cents,
            churn_notes: reach.churn_notes,
            metric: None,
        });
    }
    out.sort_by(|a, b| b.arr_at_risk_cents.cmp(&a.arr_at_risk_cents).then(b.items.cmp(&a.items)).then(a.slug.cmp(&b.slug)));
    Ok(out)
}

/// A top topic's items tagged performance or reliability per week of the quarter ending with
/// the month (the trend chart; the first week is shorter when the quarter is not whole weeks).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicTrend {
    pub slug: String,
    pub title: String,
    pub weekly: Vec<WeekCount>,
}

/// The weekly counts of `slugs` over the quarter ending with `month`.
pub async fn trends(store: &Store, month: Month, topics: &[HurtTopic]) -> StoreResult<Vec<TopicTrend>> {
    let (from, to) = month.quarter_window();
    let weeks = Window { from, to }.weeks();
    let mut counts: Vec<HashMap<String, i64>> = Vec::with_capacity(weeks.len());
    for w in &weeks {
        counts.push(store.tagged_topic_counts(w.from, w.to).await?.into_iter().collect());
    }
    Ok(topics
        .iter()
        .map(|t| TopicTrend {
            slug: t.slug.clone(),
            title: t.title.clone(),
            weekly: weeks
                .iter()
                .zip(&counts)
                .map(|(w, c)| WeekCount { from: w.from, to: w.to, count: u64::try_from(c.get(&t.slug).copied().unwrap_or(0)).unwrap_or(0) })
                .collect(),
        })
        .collect())
}
