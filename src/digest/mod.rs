//! The weekly digest, as data: `gather` reads one week's figures from the store, `compose`
//! holds the pure parts (the `Digest` value, which topics are detailed, which quotes), `topics`
//! the per-topic figures shared with `/pushback top`, and `schedule` the week's slot. Posting
//! it is `slack::digest`'s; printing it, `pushback digest`'s.

pub mod compose;
pub mod emerging;
pub mod schedule;
pub mod status;
pub mod topics;

use crate::classify::rules::Rules;
use crate::domain::{DigestSchedule, IsoWeek};
use crate::store::{Store, StoreResult};
use chrono::{DateTime, Duration, Utc};
use compose::{Digest, QUOTES, digest_topics, pick_quotes};
use std::collections::HashMap;

/// The digest of `week`: volume by category, every topic's counts (items tagged performance or
/// reliability) against the week before, and, for the topics it details and the `owned` ones
/// with items this week (the owner channels' sections), who they touch and a few quotes.
pub async fn gather(
    store: &Store,
    rules: &Rules,
    schedule: &DigestSchedule,
    week: IsoWeek,
    now: DateTime<Utc>,
    owned: &[String],
) -> StoreResult<Digest> {
    let (from, to) = schedule::window(schedule, week, now);
    let last = from - Duration::days(7);
    let volumes = compose::volumes(store.category_counts(from, to).await?, store.category_counts(last, from).await?);
    let mut topics = topics::topic_rows(store, rules, from, to, None).await?;
    let mut quotes = HashMap::new();
    let mut shown: Vec<String> = digest_topics(&topics).into_iter().map(|t| t.slug.clone()).collect();
    for t in topics.iter().filter(|t| t.now > 0 && owned.contains(&t.slug)) {
        if !shown.contains(&t.slug) {
            shown.push(t.slug.clone());
        }
    }
    for slug in &shown {
        let totals = store.topic_totals(slug, from, to).await?;
        if let Some(t) = topics.iter_mut().find(|t| &t.slug == slug) {
            (t.accounts, t.arr_cents, t.churn_notes) = (totals.accounts, totals.arr_cents, totals.churn_notes);
        }
        let recent = store.recent_topic_items(slug, from, to, 20).await?;
        quotes.insert(slug.clone(), pick_quotes(&recent, QUOTES).into_iter().cloned().collect());
    }
    Ok(Digest { week, from, to, volumes, topics, quotes })
}
