//! One pass of one source: take its lease, start from its stored cursor (or the backfill
//! window, or `--since`), then page by page fetch, read, classify and commit the items with
//! the cursor that follows them in one transaction, until the vendor's stream ends. A
//! malformed page or a refusal stops this source with its position kept; a stop request ends
//! the pass between pages. Churn notes about speed or breakage created in the last day alert
//! as webhooks do (keyed by item, so a webhook and a pull of the same note alert once).

use super::client::{Client, FetchError, Lease, Waits};
use super::{Connector, Page, PageError, PassError, Step, connector};
use crate::app::AppState;
use crate::config::PullAccess;
use crate::domain::{Source, StoredItem};
use crate::store::{PageWrite, WriteOutcome};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use std::collections::HashMap;
use tokio::sync::watch;

/// How a run of one source should start.
#[derive(Debug, Clone)]
pub struct PassOptions {
    /// Start over from this time (`sync --since`) instead of the stored cursor.
    pub since: Option<DateTime<Utc>>,
    /// Who holds the lease: unique per process.
    pub owner: String,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "error")]
pub enum Outcome {
    /// The vendor's stream was read to its end.
    Done,
    /// Asked to stop; what was committed stays, the next run continues from there.
    Stopped,
    /// Another process holds the source's lease.
    Busy,
    /// Stopped on an error (position kept); the message says what to do.
    Failed(String),
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub source: Source,
    pub pages: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub waits: u64,
    pub position_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Report {
    pub fn new(source: Source) -> Self {
        Self { source, pages: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, waits: 0, position_at: None, outcome: Outcome::Done }
    }

    pub fn items(&self) -> u64 {
        self.inserted + self.updated + self.unchanged
    }
}

/// Told about each committed page and each wait (progress bars, logs).
pub trait Progress: Send + Sync {
    fn page(&self, report: &Report);
    fn waiting(&self, source: Source, why: &str, wait: std::time::Duration);
}

struct SourceWaits<'a> {
    source: Source,
    progress: &'a dyn Progress,
    waits: std::sync::atomic::AtomicU64,
}

impl Waits for SourceWaits<'_> {
    fn waiting(&self, why: &str, wait: std::time::Duration) {
        self.waits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.progress.waiting(self.source, why, wait);
    }
}

/// The message `sync --status` and Slack show for a failed run: what happened and what to do.
fn failure(source: Source, e: &PassError) -> String {
    match e {
        PassError::Fetch(e) => e.to_string(),
        PassError::Page(PageError::Malformed(why)) => format!(
            "{source}: malformed page from the API ({why}); this source stopped at its last stored position, the others go on. If it persists, check PUSHBACK_SOURCES__{}__API_URL points at the vendor's API",
            source.as_str().to_uppercase()
        ),
        PassError::Page(e) => format!("{source}: {e}; this source stopped at its last stored position"),
        PassError::Other(e) => format!("{source}: {e:#}"),
    }
}

/// Runs one pass of `access`'s source; never fails: the outcome is in the report, the store
/// (`sync_state.last_error`) and the metrics.
pub async fn sync_source(
    state: &AppState,
    access: &PullAccess,
    opts: &PassOptions,
    progress: &dyn Progress,
    mut stop: watch::Receiver<bool>,
) -> Report {
    let source = access.source;
    let mut report = Report::new(source);
    let waits = SourceWaits { source, progress, waits: Default::default() };
    let result = run(state, access, opts, &waits, &mut stop, &mut report).await;
    report.waits = waits.waits.load(std::sync::atomic::Ordering::Relaxed);
    report.outcome = match result {
        Ok(outcome) => outcome,
        Err(PassError::Fetch(FetchError::Stopped)) => Outcome::Stopped,
        Err(e) => {
            let message = failure(source, &e);
            tracing::warn!(%source, error = %message, "sync stopped");
            state.metrics.sync_error(source.as_str());
            if let Err(e) = state.store.sync_failed(source.as_str(), Utc::now(), &message).await {
                tracing::warn!(%source, error = %e, "cannot record the sync error");
            }
            Outcome::Failed(message)
        }
    };
    if report.outcome != Outcome::Busy {
        if let Err(e) = state.store.release_sync_lease(source.as_str(), &opts.owner).await {
            tracing::warn!(%source, error = %e, "cannot release the sync lease; it expires on its own");
        }
    }
    report
}

async fn run(
    state: &AppState,
    access: &PullAccess,
    opts: &PassOptions,
    waits: &SourceWaits<'_>,
    stop: &mut watch::Receiver<bool>,
    report: &mut Report,
) -> Result<Outcome, PassError> {
    let (source, store, now) = (access.source, &state.store, Utc::now());
    let lease_secs = state.settings.sync.lease_secs;
    if !store.take_sync_lease(source.as_str(), &opts.owner, now, lease_secs).await? {
        return Ok(Outcome::Busy);
    }
    let lease = Lease { store: store.clone(), source: source.as_str().into(), owner: opts.owner.clone(), secs: lease_secs };
    let connector = connector(access);
    let client = Client::new(access, &state.settings.sync)?;
    let stored = store.sync_row(source.as_str()).await?.and_then(|r| r.cursor);
    let mut cursor = match (opts.since, stored) {
        (Some(since), _) => connector.start(since, now),
        (None, Some(text)) => serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!("the stored cursor is unreadable ({e}); run `pushback sync {source} --since 30d` to start over")
        })?,
        (None, None) => connector.start(now - Duration::days(state.settings.sync.backfill_days), now),
    };
    cursor = connector.resume(cursor, now);
    let customers = if source == Source::Stripe {
        super::accounts::refresh(state, &client, connector.as_ref(), &lease, waits, stop).await?
    } else {
        HashMap::new()
    };
    let mut answers: HashMap<String, Value> = HashMap::new();
    loop {
        if *stop.borrow() {
            return Ok(Outcome::Stopped);
        }
        let request = connector.request(&cursor)?;
        let answer = client.fetch(&request, connector.as_ref(), &lease, waits, stop).await?;
        let mut page = connector.page(&cursor, &answer)?;
        resolve_needs(&client, connector.as_ref(), &mut page, &mut answers, &lease, waits, stop).await?;
        for item in &mut page.items {
            if let Some(account) = item.account.id.as_ref().and_then(|c| customers.get(c)) {
                item.account.id = Some(account.clone());
            }
        }
        let next = page.next.clone();
        commit(state, &opts.owner, source, page, next.cursor(), report).await?;
        waits.progress.page(report);
        match next {
            Step::Done(_) => {
                // Zendesk leaves out the last minute's changes; every vendor's index lags a little.
                store.sync_succeeded(source.as_str(), &opts.owner, Utc::now(), now - Duration::seconds(60)).await?;
                state.metrics.sync_lag(source.as_str(), (Utc::now() - now).num_seconds() + 60);
                return Ok(Outcome::Done);
            }
            Step::More(c) => cursor = c,
        }
    }
}

/// Fetches what a page still needs (answers kept by key for the rest of the run) and applies it.
async fn resolve_needs(
    client: &Client,
    connector: &dyn Connector,
    page: &mut Page,
    answers: &mut HashMap<String, Value>,
    lease: &Lease,
    waits: &SourceWaits<'_>,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), PassError> {
    for need in std::mem::take(&mut page.needs) {
        if !answers.contains_key(&need.key) {
            let answer = client.fetch(&need.request, connector, lease, waits, stop).await?;
            // A lookup that fails (a deleted contact) leaves the item without what it would add.
            let value = if answer.status == 200 { super::json_body(&answer).unwrap_or(Value::Null) } else { Value::Null };
            answers.insert(need.key.clone(), value);
        }
        connector.apply(page, &need, &answers[&need.key]);
    }
    Ok(())
}

/// Classifies a page and commits it with `cursor`; counts it in the report and the metrics.
async fn commit(state: &AppState, owner: &str, source: Source, page: Page, cursor: &Value, report: &mut Report) -> Result<(), PassError> {
    let classifier = state.classifier();
    let prepared: Vec<StoredItem> = super::super::prepare(page.items, &classifier, state.settings.ingest.redact_at_ingest);
    let recent = Utc::now() - Duration::days(1);
    let fresh: Vec<StoredItem> = prepared.iter().filter(|s| s.item.created_at >= recent).cloned().collect();
    let outbox = super::super::churn_alerts(state, &fresh).await.map_err(|e| anyhow::anyhow!("cannot read the alert owners: {e}"))?;
    let cursor_text = cursor.to_string();
    let write = PageWrite {
        source: source.as_str(),
        owner,
        items: &prepared,
        outbox: &outbox,
        domains: &page.domains,
        cursor: &cursor_text,
        position_at: page.position_at,
        skipped: page.skipped as i64,
        lease_secs: state.settings.sync.lease_secs,
    };
    let written = state.store.write_page(&write, Utc::now()).await?.ok_or(FetchError::LeaseLost)?;
    if !outbox.is_empty() {
        state.outbox_wake.notify_one();
    }
    for (w, s) in written.iter().zip(&prepared) {
        state.metrics.sync_items(source.as_str(), w.outcome.as_str(), 1);
        match w.outcome {
            WriteOutcome::Inserted => {
                report.inserted += 1;
                state.metrics.stored(source.as_str(), s.item.kind, &s.classification, s.item.lost_arr_cents);
            }
            WriteOutcome::Updated => report.updated += 1,
            WriteOutcome::Unchanged => report.unchanged += 1,
        }
    }
    report.pages += 1;
    report.skipped += page.skipped as u64;
    report.position_at = super::later(report.position_at, page.position_at);
    Ok(())
}
