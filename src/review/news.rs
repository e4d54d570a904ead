//! "New this month": the month's emerging complaints (performance and reliability items no
//! topic claims, clustered as the digest does, growth from the month's first half to its
//! second), and the topics made this month (stored from an emerging cluster or by hand).

use super::Month;
use crate::classify::Classifier;
use crate::digest::emerging;
use crate::domain::Category;
use crate::store::{Store, StoreResult};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// Emerging clusters the section lists.
pub const EMERGING: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct News {
    /// Performance and reliability items of the month no topic claims (what was clustered).
    pub unclaimed_items: usize,
    pub emerging: Vec<EmergingTopic>,
    pub made: Vec<MadeTopic>,
}

/// A cluster of unclaimed complaints, fastest-growing first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmergingTopic {
    /// The topic *Make this a topic* would store.
    pub slug: String,
    pub title: String,
    pub category: Option<Category>,
    pub items: usize,
    pub accounts: usize,
    pub arr_cents: i64,
    /// Items in the month's first and second half.
    pub earlier: u64,
    pub recent: u64,
    /// Share of feedback in the second half over the first (a first half with none counts as one item).
    pub growth: f64,
    pub p_value: Option<f64>,
    /// Its most typical item, redacted.
    pub quote: String,
}

/// A topic stored this month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MadeTopic {
    pub slug: String,
    pub title: String,
    pub category: Option<Category>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// Its items this month, tagged or not.
    pub items: i64,
}

pub async fn news(store: &Store, classifier: &Classifier, month: Month) -> StoreResult<News> {
    let (from, to) = month.window();
    let found = emerging::gather(store, &classifier.rules, to, (to - from).num_days()).await?;
    let counts: HashMap<String, i64> = store.topic_counts(from, to).await?.into_iter().collect();
    let made = store
        .stored_topics()
        .await?
        .into_iter()
        .filter(|t| t.created_at >= from && t.created_at < to)
        .map(|t| MadeTopic {
            items: counts.get(&t.slug).copied().unwrap_or(0),
            slug: t.slug,
            title: t.title,
            category: t.category,
            created_by: t.created_by,
            created_at: t.created_at,
        })
        .collect();
    let emerging = found
        .clusters
        .into_iter()
        .take(EMERGING)
        .map(|c| EmergingTopic {
            slug: c.draft.slug,
            title: c.draft.title,
            category: c.category,
            items: c.items,
            accounts: c.accounts,
            arr_cents: c.arr_cents,
            earlier: c.earlier,
            recent: c.recent,
            growth: (c.growth * 100.0).round() / 100.0,
            p_value: c.p_value,
            quote: c.quote.text,
        })
        .collect();
    Ok(News { unclaimed_items: found.pooled, emerging, made })
}
