//! Spike detection: for each topic and each category, the last 24 hours and the last 7 days
//! against the 28 days before, as a share of all feedback, with the exact test the packs use
//! (`crate::stats::Change`). A spike is a rise of at least `spike_min_ratio` with p below
//! `spike_max_p` and at least `spike_min_items` items: a topic's own thresholds in rules.toml,
//! else the `[alerts]` settings. Topics count only items tagged performance or reliability.
//! `plan` decides, from the stored state of the subject's last rise, whether it is a new alert
//! or an update of the current one.

use crate::classify::rules::{Rules, SpikeOverrides};
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
    /// The thresholds it passed.
    pub thresholds: Thresholds,
}

/// What a rise must pass to be a spike.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    pub min_ratio: f64,
    pub max_p: f64,
    pub min_items: u64,
}

impl Thresholds {
    /// The `[alerts]` settings (a category's thresholds).
    pub fn of(s: &AlertSettings) -> Self {
        Self { min_ratio: s.spike_min_ratio, max_p: s.spike_max_p, min_items: u64::try_from(s.spike_min_items).unwrap_or(u64::MAX) }
    }

    /// A topic's: its own from rules.toml where set, else the settings'.
    pub fn for_topic(s: &AlertSettings, own: SpikeOverrides) -> Self {
        let base = Self::of(s);
        Self {
            min_ratio: own.min_ratio.unwrap_or(base.min_ratio),
            max_p: own.max_p.unwrap_or(base.max_p),
            min_items: own.min_items.unwrap_or(base.min_items),
        }
    }
}

/// Whether `change` is a spike by `t`; its ratio when it is.
pub fn spike_ratio(change: &Change, t: &Thresholds) -> Option<f64> {
    let (n1, n0) = (change.current_total.max(1) as f64, change.previous_total.max(1) as f64);
    let ratio = (change.current as f64 / n1) / (change.previous.max(1) as f64 / n0);
    let p = change.p_value?;
    (change.current >= t.min_items && ratio >= t.min_ratio && p < t.max_p).then_some(ratio)
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

/// A subject's key, label, topic, category, thresholds, and counts now and in the baseline.
type Subject = (String, String, Option<String>, Option<Category>, Thresholds, i64, i64);

/// Every spike now, one per subject (its shortest spiking window), topics before categories.
pub async fn find(store: &Store, rules: &Rules, now: DateTime<Utc>, s: &AlertSettings) -> StoreResult<Vec<Spike>> {
    let mut found: Vec<Spike> = Vec::new();
    for days in WINDOWS_DAYS {
        let from = now - Duration::days(days);
        let base = from - Duration::days(BASELINE_DAYS);
        let (n1, p1, r1) = store.category_counts(from, now).await?;
        let (n0, p0, r0) = store.category_counts(base, from).await?;
        let now_topics: HashMap<String, i64> = store.tagged_topic_counts(from, now).await?.into_iter().collect();
        let base_topics: HashMap<String, i64> = store.tagged_topic_counts(base, from).await?.into_iter().collect();
        let mut subjects: Vec<Subject> = rules
            .topics
            .iter()
            .map(|t| {
                let count = |m: &HashMap<String, i64>| m.get(&t.slug).copied().unwrap_or(0);
                let th = Thresholds::for_topic(s, t.spike);
                (
                    format!("topic:{}", t.slug),
                    t.title.clone(),
                    Some(t.slug.clone()),
                    t.category,
                    th,
                    count(&now_topics),
                    count(&base_topics),
                )
            })
            .collect();
        let th = Thresholds::of(s);
        subjects.push(("category:performance".into(), "Performance complaints".into(), None, Some(Category::Performance), th, p1, p0));
        subjects.push(("category:reliability".into(), "Reliability complaints".into(), None, Some(Category::Reliability), th, r1, r0));
        for (subject, label, topic, category, thresholds, a, b) in subjects {
            if found.iter().any(|f| f.subject == subject) {
                continue;
            }
            let n = |x: i64| u64::try_from(x).unwrap_or(0);
            let change = Change::new(n(a), n(b), n(n1), n(n0));
            if let Some(ratio) = spike_ratio(&change, &thresholds) {
                let p_value = change.p_value.unwrap_or(1.0);
                let (items, baseline_items) = (n(a), n(b));
                found.push(Spike { subject, label, topic, category, window_days: days, items, baseline_items, ratio, p_value, thresholds });
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
        let s = Thresholds::of(&AlertSettings::default());
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
    fn a_topic_s_own_thresholds_win_and_the_rest_fall_back_to_the_settings() {
        let settings = AlertSettings::default();
        let strict = Thresholds::for_topic(&settings, SpikeOverrides { min_ratio: Some(60.0), max_p: None, min_items: Some(20) });
        assert_eq!(strict, Thresholds { min_ratio: 60.0, max_p: 0.01, min_items: 20 });
        // ~56x on 12 items alerts by default, not for a topic that wants 60x on 20 items.
        assert!(spike_ratio(&Change::new(12, 6, 100, 2800), &strict).is_none());
        // 4 items where the baseline had none: under the default 5 items, enough for a topic that asks for 4.
        let eager = Thresholds::for_topic(&settings, SpikeOverrides { min_ratio: Some(1.5), max_p: Some(0.05), min_items: Some(4) });
        assert!(spike_ratio(&Change::new(4, 0, 100, 2800), &eager).is_some());
        assert!(spike_ratio(&Change::new(4, 0, 100, 2800), &Thresholds::of(&settings)).is_none());
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
