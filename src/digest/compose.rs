//! The weekly digest as a value: its volumes, every topic's figures, the topics it details
//! and their quotes. Pure: `digest::gather` does the reading.

use super::topics::{TopicStats, rising};
use crate::domain::{Feedback, IsoWeek, Kind};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Quotes shown per topic.
pub const QUOTES: usize = 3;

/// One week's digest: what `slack::digest` renders and `pushback digest` prints.
#[derive(Debug, Clone)]
pub struct Digest {
    pub week: IsoWeek,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// (label, this week, last week): all feedback, performance, reliability.
    pub volumes: Vec<(String, i64, i64)>,
    /// Every topic with counts, largest first.
    pub topics: Vec<TopicStats>,
    /// The quotes of each topic shown in detail (`pick_quotes` of its recent items).
    pub quotes: HashMap<String, Vec<Feedback>>,
}

/// Topics the digest details: the five biggest, then up to three more of the fastest rising.
pub fn digest_topics(topics: &[TopicStats]) -> Vec<&TopicStats> {
    let mut shown: Vec<&TopicStats> = topics.iter().filter(|t| t.now > 0).take(5).collect();
    for r in rising(topics, 3) {
        if !shown.iter().any(|s| s.slug == r.slug) {
            shown.push(r);
        }
    }
    shown
}

/// Up to `n` quotes, churn notes first (they carry lost revenue), then the most recent.
pub fn pick_quotes(items: &[Feedback], n: usize) -> Vec<&Feedback> {
    let mut picked: Vec<&Feedback> = items.iter().filter(|f| f.kind == Kind::ChurnNote).take(1).collect();
    picked.extend(items.iter().filter(|f| f.kind != Kind::ChurnNote).take(n - picked.len()));
    picked.extend(items.iter().filter(|f| f.kind == Kind::ChurnNote).skip(1).take(n - picked.len()));
    picked
}

/// All feedback, performance and reliability this week and last, as (label, now, before).
pub fn volumes(now: (i64, i64, i64), before: (i64, i64, i64)) -> Vec<(String, i64, i64)> {
    vec![
        ("All feedback".to_string(), now.0, before.0),
        ("Performance".to_string(), now.1, before.1),
        ("Reliability".to_string(), now.2, before.2),
    ]
}
