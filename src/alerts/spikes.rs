//! Spike detection: for each topic and each category, the last 24 hours and the last 7 days
//! against the 28 days before, as a share of all feedback, with the exact test the packs use
//! (`crate::stats::Change`). A spike is a rise of at least `spike_min_ratio` with p below
//! `spike_max_p` and at least `spike_min_items` items. `plan` decides, from the stored state
//! of the subject's last rise, whether it is a new alert or an update of the current one.

use crate::classify::rules::Rules;
use crate::config::AlertSettings;
use crate::domain::Category;
use crate::stats::Change;
use crate::store::{SpikeState, Store, StoreResult};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// The baseline: this many days before the window.
pub const BASELINE_DAYS: i64 = 28;
/// The windows checked, shortest first (a subject spiking in both reports the shortest).
pub const WINDOWS_DAYS: [i64; 2] = [1, 7];

/// A subject rising now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    /// `topic:<slug>` or `category:<name>`: the key its state is stored under.
    pub subject: String,
    pub label: String,
    pub topic: Option<String>,
    pub category: Option<Category>,
    pub window_days: i64,
    pub items: u64,
    pub baseline_items: u64,
    /// How many times its usual share of feedback (a lower bound when the baseline had none).
    pub ratio: f64,
    pub p_value: f64,
}

/// Whether `change` is a spike by the settings' thresholds; its ratio when it is.
pub fn spike_ratio(change: &Change, s: &AlertSettings) -> Option<f64> {
    let (n1, n0) = (change.current_total.max(1) as f64, change.previous_total.max(1) as f64);
    let ratio = (change.current as f64 / n1) / (change.previous.max(1) as f64 / n0);
    let p = change.p_value?;
    (change.current >= u64::try_from(s.spike_min_items).unwrap_or(u64::MAX) && ratio >= s.spike_min_ratio && p < s.spike_max_p)
        .then_some(ratio)
}

/// What to do about a spike given its subject's stored rise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// A new rise: post an alert.
    New,
    /// The same rise goes on: update its alert; `crossed` when it doubled since last announced.
    Update { crossed: bool },
}

pub fn plan(ratio: f64, state: Option<&SpikeState>, now: DateTime<Utc>, quiet_days: i64) -> Plan {
    match state {
        Some(s) if now - s.last_abnormal_at < Duration::days(quiet_days) => Plan::Update { crossed: ratio >= 2.0 * s.announced_ratio },
        _ => Plan::New,
    }
}

/// A subject's key, label, topic, category, and counts now and in the baseline.
type Subject = (String, String, Option<String>, Option<Category>, i64, i64);

/// Every spike now, one per subject (its shortest spiking window), topics before categories.
pub async fn find(store: &Store, rules: &Rules, now: DateTime<Utc>, s: &AlertSettings) -> StoreResult<Vec<Spike>> {
    let mut found: Vec<Spike> = Vec::new();
    for days in WINDOWS_DAYS {
        let from = now - Duration::days(days);
        let base = from - Duration::days(BASELINE_DAYS);
        let (n1, p1, r1) = store.category_counts(from, now).await?;
        let (n0, p0, r0) = store.category_counts(base, from).await?;
        let now_topics: HashMap<String, i64> = store.topic_counts(from, now).await?.into_iter().collect();
        let base_topics: HashMap<String, i64> = store.topic_counts(base, from).await?.into_iter().collect();
        let mut subjects: Vec<Subject> = rules
            .topics
            .iter()
            .map(|t| {
                let count = |m: &HashMap<String, i64>| m.get(&t.slug).copied().unwrap_or(0);
                (format!("topic:{}", t.slug), t.title.clone(), Some(t.slug.clone()), t.category, count(&now_topics), count(&base_topics))
            })
            .collect();
        subjects.push(("category:performance".into(), "Performance complaints".into(), None, Some(Category::Performance), p1, p0));
        subjects.push(("category:reliability".into(), "Reliability complaints".into(), None, Some(Category::Reliability), r1, r0));
        for (subject, label, topic, category, a, b) in subjects {
            if found.iter().any(|f| f.subject == subject) {
                continue;
            }
            let n = |x: i64| u64::try_from(x).unwrap_or(0);
            let change = Change::new(n(a), n(b), n(n1), n(n0));
            if let Some(ratio) = spike_ratio(&change, s) {
                let p_value = change.p_value.unwrap_or(1.0);
                found.push(Spike { subject, label, topic, category, window_days: days, items: n(a), baseline_items: n(b), ratio, p_value });
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spike_needs_the_ratio_the_p_value_and_the_items() {
        let s = AlertSettings::default();
        // 12 of 100 today against 6 of 2,800 over 28 days: ~56×, p tiny.
        assert!(spike_ratio(&Change::new(12, 6, 100, 2800), &s).is_some_and(|r| r > 50.0));
        // The same share as usual: no spike.
        assert!(spike_ratio(&Change::new(3, 84, 100, 2800), &s).is_none());
        // A big ratio on 4 items: below the minimum.
        assert!(spike_ratio(&Change::new(4, 0, 100, 2800), &s).is_none());
        // 5 items, 1.6× the usual share: not 2×.
        assert!(spike_ratio(&Change::new(5, 88, 100, 2800), &s).is_none());
    }

    #[test]
    fn a_rise_updates_its_alert_until_quiet_for_a_week() {
        let now = Utc::now();
        let state = |days_ago: i64| SpikeState {
            subject: "topic:x".into(),
            rise_key: "spike:topic:x:1".into(),
            started_at: now - Duration::days(10),
            last_abnormal_at: now - Duration::days(days_ago),
            announced_ratio: 3.0,
            checks: 1,
        };
        assert_eq!(plan(3.5, None, now, 7), Plan::New);
        assert_eq!(plan(3.5, Some(&state(0)), now, 7), Plan::Update { crossed: false });
        assert_eq!(plan(6.0, Some(&state(1)), now, 7), Plan::Update { crossed: true });
        assert_eq!(plan(3.5, Some(&state(8)), now, 7), Plan::New);
    }
}
