//! The passes `serve` runs: every configured source on its own task, a pass every
//! `sync.every_secs`, each under the source's lease so several replicas never sync one source
//! at once. Between passes the lag gauge of `/metrics` is kept current from the stored position.

use super::engine::{PassOptions, Progress, Report, sync_source};
use crate::app::AppState;
use crate::domain::Source;
use chrono::Utc;
use std::time::Duration;
use tokio::sync::watch;

/// A lease owner unique to this process and task: host, process id and a random part.
pub fn owner_id(what: &str) -> String {
    let host = std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "host".into());
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{host}:{}:{what}:{nanos:08x}", std::process::id())
}

/// Progress as log lines (the server has no terminal).
#[derive(Debug, Default)]
pub struct LogProgress;

impl Progress for LogProgress {
    fn page(&self, report: &Report) {
        tracing::debug!(source = %report.source, pages = report.pages, inserted = report.inserted, updated = report.updated, unchanged = report.unchanged, "sync page stored");
    }

    fn waiting(&self, source: Source, why: &str, wait: Duration) {
        tracing::info!(%source, why, wait_ms = wait.as_millis() as u64, "sync waiting before asking again");
    }
}

/// Syncs every configured source until `stop` turns true. Returns at once when none is configured.
pub async fn run(state: AppState, stop: watch::Receiver<bool>) {
    let sources = super::configured(&state.settings.sources);
    for source in crate::config::PULL_SOURCES {
        if let Err(e) = state.settings.sources.pull_access(source) {
            if e.partly {
                tracing::warn!(%source, "{source} is not pulled: some of its API settings are set but not all; set {}", e.to_set());
            }
        }
    }
    let tasks: Vec<_> = sources
        .into_iter()
        .map(|access| {
            tracing::info!(source = %access.source, every_secs = state.settings.sync.every_secs, "pulling {} from {}", access.source, access.api_url);
            tokio::spawn(run_source(state.clone(), access, stop.clone()))
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
}

async fn run_source(state: AppState, access: crate::config::PullAccess, mut stop: watch::Receiver<bool>) {
    let source = access.source;
    let opts = PassOptions { since: None, owner: owner_id(source.as_str()) };
    let every = Duration::from_secs(state.settings.sync.every_secs);
    loop {
        let report = sync_source(&state, &access, &opts, &LogProgress, stop.clone()).await;
        if report.items() > 0 || report.skipped > 0 {
            tracing::info!(%source, pages = report.pages, inserted = report.inserted, updated = report.updated, unchanged = report.unchanged, skipped = report.skipped, "sync pass stored");
        }
        let next = tokio::time::Instant::now() + every;
        // The lag grows between passes: refresh the gauge while waiting.
        loop {
            refresh_lag(&state, source).await;
            let tick = (next - tokio::time::Instant::now()).min(Duration::from_secs(5));
            if tick.is_zero() {
                break;
            }
            if !super::client::sleep_or_stop(tick, &mut stop).await {
                return;
            }
        }
    }
}

async fn refresh_lag(state: &AppState, source: Source) {
    if let Ok(Some(row)) = state.store.sync_row(source.as_str()).await {
        if let Some(through) = row.synced_through {
            state.metrics.sync_lag(source.as_str(), (Utc::now() - through).num_seconds());
        }
    }
}
