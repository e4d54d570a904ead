//! Posting something once across replicas and restarts (the weekly digest, the monthly review):
//! whoever inserts its `digests` row queues its outbox rows in the same transaction; everyone
//! else sees the row and does nothing. `claim_once` makes one claim; `run_schedule` checks every
//! few seconds what is due and claims it, so a slot that passed while every replica was down is
//! posted when one returns.

use crate::app::AppState;
use crate::store::NewOutboxMessage;
use chrono::{DateTime, Utc};
use std::fmt::Display;
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;

/// Claims `label` and queues the rows `compose` makes, in one transaction, then wakes this
/// replica's outbox. `Ok(None)` when `label` was already claimed, by any replica, ever (then
/// `compose` does not run, or its rows are dropped when another replica won meanwhile).
pub async fn claim_once<F, Fut>(state: &AppState, label: &str, claimed_by: &str, compose: F) -> anyhow::Result<Option<usize>>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = anyhow::Result<Vec<NewOutboxMessage>>>,
{
    if state.store.digest_claimed(label).await? {
        return Ok(None);
    }
    let rows = compose().await?;
    let won = state.store.claim_digest(label, claimed_by, &rows, state.clock.now()).await?;
    if won {
        state.outbox_wake.notify_one();
    }
    Ok(won.then_some(rows.len()))
}

/// Every `every` until `stop` turns true: asks `due` what is due at the state's clock's instant
/// and, when something is, `claim`s it; `what` names it in the log ("weekly digest").
pub async fn run_schedule<K, D, C, Fut>(state: &AppState, what: &str, every: Duration, mut stop: watch::Receiver<bool>, due: D, claim: C)
where
    K: Display + Copy,
    D: Fn(DateTime<Utc>) -> Option<K>,
    C: Fn(K) -> Fut,
    Fut: Future<Output = anyhow::Result<Option<usize>>>,
{
    while !*stop.borrow() {
        if let Some(key) = due(state.clock.now()) {
            match claim(key).await {
                Ok(Some(n)) => tracing::info!(%key, messages = n, "{what} claimed and queued"),
                Ok(None) => tracing::debug!(%key, "{what} already claimed"),
                Err(e) => tracing::warn!(%key, error = format!("{e:#}"), "{what} not queued; will try again"),
            }
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}
