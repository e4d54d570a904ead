//! Did the fix work? The topic's share of all feedback in the `window_days` before the fix date
//! against the `window_days` after the fix date plus a settle period, with `stats::Impact`'s
//! exact test and confidence interval, the accounts on each side, and the ARR still affected.

use crate::classify::Classifier;
use crate::domain::{PackItem, Window};
use crate::evidence::selector;
use crate::stats::Impact;
use crate::store::{Store, StoreResult};
use crate::text::plural;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactReport {
    pub topic: String,
    /// What was fixed: an issue key, or "the fix on 2026-11-02".
    pub fix: String,
    pub fix_date: DateTime<Utc>,
    pub before: Window,
    /// The whole after-window; `observed_days` of it have passed.
    pub after: Window,
    pub observed_days: i64,
    pub complete: bool,
    pub accounts_before: u64,
    pub accounts_after: u64,
    /// ARR of the distinct accounts still complaining after the fix.
    pub arr_still_affected_cents: i64,
    pub impact: Impact,
    pub summary: String,
}

/// The before and after windows for a fix on `fix_date`.
pub fn windows(fix_date: DateTime<Utc>, window_days: i64, settle_days: i64) -> (Window, Window) {
    let before = Window { from: fix_date - Duration::days(window_days), to: fix_date };
    let start = fix_date + Duration::days(settle_days);
    (before, Window { from: start, to: start + Duration::days(window_days) })
}

/// Accounts and their ARR among a window's items.
fn accounts(items: &[PackItem]) -> (u64, i64) {
    let arr: BTreeMap<&str, Option<i64>> = items.iter().filter_map(|i| i.item.account_id.as_deref().map(|a| (a, i.arr_cents))).collect();
    (arr.len() as u64, arr.values().flatten().sum())
}

/// The counts behind a report, as pure data: `(items, all feedback)` per window.
pub struct Counts {
    pub before: Vec<PackItem>,
    pub before_total: u64,
    pub after: Vec<PackItem>,
    pub after_total: u64,
}

/// Builds the report from counts (pure).
pub fn build(
    topic: &str,
    fix: &str,
    fix_date: DateTime<Utc>,
    before: Window,
    after: Window,
    counts: &Counts,
    now: DateTime<Utc>,
) -> ImpactReport {
    let window_days = after.days();
    let observed_days = ((now.min(after.to) - after.from).num_seconds().max(0) as f64 / 86_400.0).floor() as i64;
    let complete = now >= after.to;
    let impact = Impact::new(counts.before.len() as u64, counts.after.len() as u64, counts.before_total, counts.after_total);
    let (accounts_before, _) = accounts(&counts.before);
    let (accounts_after, arr) = accounts(&counts.after);
    let summary = if now < after.from {
        format!(
            "{topic}: the after-window of {fix} starts on {} (after a settle period); nothing to compare yet",
            after.from.format("%Y-%m-%d")
        )
    } else {
        // "the fix on 2026-11-02" is a phrase already; an issue key is "PROJ-123 was closed".
        let phrase = if fix.starts_with("the fix on ") { fix.to_string() } else { format!("{fix} was closed") };
        impact.describe(topic, &phrase, window_days, (!complete).then_some((observed_days, window_days)))
    };
    ImpactReport {
        topic: topic.to_string(),
        fix: fix.to_string(),
        fix_date,
        before,
        after,
        observed_days,
        complete,
        accounts_before,
        accounts_after,
        arr_still_affected_cents: arr,
        impact,
        summary,
    }
}

/// Reads the topic's items in both windows (the after-window up to now) and builds the report.
pub async fn report(
    store: &Store,
    classifier: &Classifier,
    topic: &str,
    fix: &str,
    fix_date: DateTime<Utc>,
    (window_days, settle_days): (i64, i64),
    now: DateTime<Utc>,
) -> StoreResult<Option<ImpactReport>> {
    let Some(sel) = selector::resolve(topic, &classifier.rules) else { return Ok(None) };
    let (before, after) = windows(fix_date, window_days, settle_days);
    let seen = Window { from: after.from, to: now.clamp(after.from, after.to) };
    let counts = Counts {
        before: store.evidence_items(&sel, before).await?,
        before_total: store.count_between(before.from, before.to).await? as u64,
        after: if seen.to > seen.from { store.evidence_items(&sel, seen).await? } else { Vec::new() },
        after_total: store.count_between(seen.from, seen.to).await? as u64,
    };
    Ok(Some(build(sel.slug(), fix, fix_date, before, after, &counts, now)))
}

/// The report as Markdown (also the Slack text: it uses only `*bold*`-free plain lines).
pub fn markdown(r: &ImpactReport) -> String {
    let i = &r.impact;
    let d = |t: DateTime<Utc>| t.format("%Y-%m-%d").to_string();
    let mut lines = vec![
        format!("## Impact of {} on `{}`", r.fix, r.topic),
        String::new(),
        r.summary.clone(),
        String::new(),
        format!(
            "- Before: {} → {}: {} of {} in all, from {}",
            d(r.before.from),
            d(r.before.to),
            plural(i.before, "item"),
            i.before_total,
            plural(r.accounts_before, "account")
        ),
        format!(
            "- After ({} + settle): {} → {}: {} of {} in all, from {} ({} of {} days observed)",
            d(r.fix_date),
            d(r.after.from),
            d(r.after.to),
            plural(i.after, "item"),
            i.after_total,
            plural(r.accounts_after, "account"),
            r.observed_days,
            r.after.days()
        ),
        format!("- ARR still affected: ${:.0}", r.arr_still_affected_cents as f64 / 100.0),
    ];
    let distinct: BTreeSet<u64> = [i.before, i.after].into_iter().collect();
    if distinct.len() == 1 && i.before == 0 {
        lines.push("- No items on this topic in either window.".into());
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_after_window_starts_after_the_settle_period() {
        let d = Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap();
        let (before, after) = windows(d, 28, 7);
        assert_eq!((before.from.to_rfc3339(), before.to), ("2026-10-05T00:00:00+00:00".to_string(), d));
        assert_eq!(
            (after.from.to_rfc3339(), after.to.to_rfc3339()),
            ("2026-11-09T00:00:00+00:00".into(), "2026-12-07T00:00:00+00:00".into())
        );
    }

    #[test]
    fn a_partial_after_window_says_how_much_was_seen() {
        let d = Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap();
        let (before, after) = windows(d, 28, 7);
        let counts = Counts { before: vec![], before_total: 100, after: vec![], after_total: 40 };
        let r = build("checkout-slow", "PROJ-1", d, before, after, &counts, after.from + Duration::days(9) + Duration::hours(3));
        assert!(!r.complete);
        assert_eq!(r.observed_days, 9);
        let early = build("checkout-slow", "PROJ-1", d, before, after, &counts, d + Duration::days(1));
        assert!(early.summary.contains("starts on 2026-11-09"), "{}", early.summary);
    }
}
