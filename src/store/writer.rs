//! Group commit: webhook handlers hand their items to one writer task, which folds everything
//! waiting into one transaction and answers each handler after the commit. Under load that
//! turns thousands of fsyncs a second into a few dozen, and no 2xx ever precedes its commit.
//!
//! The writer also knows whether the database is taking writes: a commit that failed because
//! the database was unavailable marks it unhealthy until a later commit or a readiness probe
//! (run by the writer itself, so it is never cancelled half-way) succeeds.

use super::{NewOutboxMessage, Store, StoreError, StoreResult, Written};
use crate::domain::StoredItem;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::{mpsc, oneshot};

enum Job {
    Write { items: Vec<StoredItem>, outbox: Vec<NewOutboxMessage>, reply: oneshot::Sender<StoreResult<Vec<Written>>> },
    Probe { reply: oneshot::Sender<StoreResult<()>> },
}

/// A handle to the writer task; clone freely.
#[derive(Clone, Debug)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
    healthy: Arc<AtomicBool>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Write { items, .. } => f.debug_struct("Write").field("items", &items.len()).finish(),
            Job::Probe { .. } => f.write_str("Probe"),
        }
    }
}

impl Writer {
    /// Starts the writer. It stops once every `Writer` handle is dropped and the queue is empty.
    pub fn spawn(store: Store, max_batch: usize) -> (Self, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(4096);
        let healthy = Arc::new(AtomicBool::new(true));
        let healthy_flag = healthy.clone();
        let own = own_connection(&store);
        let handle = tokio::spawn(async move {
            run(own.as_ref().unwrap_or(&store), rx, max_batch.max(1), healthy).await;
            if let Some(own) = own {
                own.close().await;
            }
        });
        (Self { tx, healthy: healthy_flag }, handle)
    }

    /// Writes `items` durably; returns after their transaction committed.
    pub async fn write(&self, items: Vec<StoredItem>) -> StoreResult<Vec<Written>> {
        self.write_with_outbox(items, Vec::new()).await
    }

    /// Writes `items` and queues `outbox` messages in the same transaction: once the caller
    /// is answered, both are durable, or neither is.
    pub async fn write_with_outbox(&self, items: Vec<StoredItem>, outbox: Vec<NewOutboxMessage>) -> StoreResult<Vec<Written>> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Job::Write { items, outbox, reply }).await.map_err(|_| stopped("writer stopped (shutting down)"))?;
        rx.await.map_err(|_| stopped("writer stopped before committing"))?
    }

    /// False after a commit failed because the database was unavailable, until one succeeds.
    pub fn healthy(&self) -> bool {
        self.healthy.load(Ordering::Relaxed)
    }

    /// Asks the writer to try a write lock now (queued behind pending writes); updates `healthy`.
    pub async fn probe(&self) -> StoreResult<()> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Job::Probe { reply }).await.map_err(|_| stopped("writer stopped (shutting down)"))?;
        rx.await.map_err(|_| stopped("writer stopped before probing"))?
    }
}

/// On SQLite, a pool of one connection to the same file for the writer alone: that connection
/// keeps its page cache and prepared statements from one commit to the next. Taking any of the
/// shared pool's connections in turn, each commit found its cache emptied (SQLite drops a WAL
/// connection's cache whenever another connection committed since its last transaction) and
/// read its pages again (BENCHMARKS.md, issue 22). None when the shared pool holds a single
/// connection (an in-memory database exists per connection) and on PostgreSQL.
fn own_connection(store: &Store) -> Option<Store> {
    match store {
        Store::Sqlite(pool) if pool.options().get_max_connections() > 1 => {
            let options = pool.connect_options().as_ref().clone();
            let own = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(pool.options().get_acquire_timeout())
                .idle_timeout(pool.options().get_idle_timeout())
                .max_lifetime(pool.options().get_max_lifetime())
                .connect_lazy_with(options);
            Some(Store::Sqlite(own))
        }
        _ => None,
    }
}

fn stopped(msg: &str) -> StoreError {
    StoreError::Unavailable(msg.into())
}

type WriteJob = (Vec<StoredItem>, Vec<NewOutboxMessage>, oneshot::Sender<StoreResult<Vec<Written>>>);

async fn run(store: &Store, mut rx: mpsc::Receiver<Job>, max_batch: usize, healthy: Arc<AtomicBool>) {
    while let Some(first) = rx.recv().await {
        let mut writes: Vec<WriteJob> = Vec::new();
        let mut probes = Vec::new();
        let mut size = 0;
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Write { items, outbox, reply } => {
                    size += items.len();
                    writes.push((items, outbox, reply));
                }
                Job::Probe { reply } => probes.push(reply),
            }
            if size < max_batch {
                next = rx.try_recv().ok();
            }
        }
        if !writes.is_empty() {
            let available = commit(store, writes).await;
            healthy.store(available, Ordering::Relaxed);
        }
        for reply in probes {
            let result = store.probe_write().await;
            healthy.store(!matches!(result, Err(StoreError::Unavailable(_))), Ordering::Relaxed);
            let _ = reply.send(result);
        }
    }
}

/// Commits the jobs' items; returns false when the database was unavailable.
async fn commit(store: &Store, mut jobs: Vec<WriteJob>) -> bool {
    if jobs.len() == 1 {
        let (items, outbox, reply) = jobs.pop().expect("one job");
        let result = store.write_batch_with_outbox(&items, &outbox, chrono::Utc::now()).await;
        let available = !matches!(result, Err(StoreError::Unavailable(_)));
        let _ = reply.send(result);
        return available;
    }
    let all: Vec<StoredItem> = jobs.iter().flat_map(|(items, _, _)| items.iter().cloned()).collect();
    let outbox: Vec<NewOutboxMessage> = jobs.iter().flat_map(|(_, outbox, _)| outbox.iter().cloned()).collect();
    match store.write_batch_with_outbox(&all, &outbox, chrono::Utc::now()).await {
        Ok(results) => {
            let mut rest = results.into_iter();
            for (items, _, reply) in jobs {
                let mine: Vec<Written> = rest.by_ref().take(items.len()).collect();
                let _ = reply.send(Ok(mine));
            }
            true
        }
        Err(StoreError::Unavailable(msg)) => {
            for (_, _, reply) in jobs {
                let _ = reply.send(Err(StoreError::Unavailable(msg.clone())));
            }
            false
        }
        Err(err) => {
            // One request's items may have poisoned the batch: retry each on its own so only
            // that request fails.
            tracing::warn!(error = format!("{err:#}"), jobs = jobs.len(), "group commit failed; retrying requests one by one");
            let mut available = true;
            for (items, outbox, reply) in jobs {
                let result = store.write_batch_with_outbox(&items, &outbox, chrono::Utc::now()).await;
                available &= !matches!(result, Err(StoreError::Unavailable(_)));
                let _ = reply.send(result);
            }
            available
        }
    }
}
