//! "What we fixed and whether it worked": tracker issues filed from packs and closed as done in
//! the month, each with the impact report the trackers post (`crate::trackers::impact`), and the
//! issues filed from packs that are still open, with their age.

use crate::classify::Classifier;
use crate::store::{Store, StoreResult};
use crate::trackers::impact;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    /// `owner/repo#12`, `PROJ-123`, `ENG-42`.
    pub key: String,
    pub url: String,
    pub topic: String,
    pub closed_at: DateTime<Utc>,
    /// Complaints in the window before the fix and in the window after it so far.
    pub before: u64,
    pub after: u64,
    pub p_value: Option<f64>,
    pub significant: bool,
    /// Whether the whole after-window has passed.
    pub complete: bool,
    /// The impact report's sentence, e.g. "checkout-slow complaints fell 71% after PROJ-123 was closed (…)".
    pub summary: String,
}

/// Issues closed as done in `[from, to)`, oldest first, with their impact as of `now`;
/// `windows` are the trackers' (window days, settle days).
pub async fn fixes(
    store: &Store,
    classifier: &Classifier,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    windows: (i64, i64),
    now: DateTime<Utc>,
) -> StoreResult<Vec<Fix>> {
    let mut out = Vec::new();
    for link in store.done_issues().await? {
        let Some(closed_at) = link.done_at.filter(|t| *t >= from && *t < to) else { continue };
        let Some(r) = impact::report(store, classifier, &link.topic, &link.key, closed_at, windows, now).await? else { continue };
        out.push(Fix {
            key: link.key,
            url: link.url,
            topic: link.topic,
            closed_at,
            before: r.impact.before,
            after: r.impact.after,
            p_value: r.impact.p_value,
            significant: r.impact.significant,
            complete: r.complete,
            summary: r.summary,
        });
    }
    out.sort_by(|a, b| a.closed_at.cmp(&b.closed_at).then(a.key.cmp(&b.key)));
    Ok(out)
}

/// An issue filed from a pack and not closed yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenIssue {
    pub key: String,
    pub url: String,
    pub topic: String,
    /// "github", "jira", "linear".
    pub tracker: String,
    pub filed_at: DateTime<Utc>,
    /// Whole days from filing to the month's end (or to `now`, for a month not over yet).
    pub age_days: i64,
}

/// Issues filed from packs before `to` and still open, oldest first, aged at `min(to, now)`.
pub async fn open_issues(store: &Store, to: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Vec<OpenIssue>> {
    let at = to.min(now);
    Ok(store
        .open_issues()
        .await?
        .into_iter()
        .filter(|l| l.created_at < to)
        .map(|l| OpenIssue {
            age_days: (at - l.created_at).num_days().max(0),
            tracker: l.tracker.as_str().to_string(),
            key: l.key,
            url: l.url,
            topic: l.topic,
            filed_at: l.created_at,
        })
        .collect())
}
