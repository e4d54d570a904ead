//! Group commit: webhook handlers hand their items to one writer task, which folds everything
//! waiting into one transaction and answers each handler after the commit. Under load that
//! turns thousands of fsyncs a second into a few dozen, and no 2xx ever precedes its commit.

use crate::domain::StoredItem;
use crate::store::{Store, StoreError, StoreResult, Written};
use tokio::sync::{mpsc, oneshot};

struct Job {
    items: Vec<StoredItem>,
    reply: oneshot::Sender<StoreResult<Vec<Written>>>,
}

/// A handle to the writer task; clone freely.
#[derive(Clone, Debug)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("items", &self.items.len()).finish()
    }
}

impl Writer {
    /// Starts the writer. It stops once every `Writer` handle is dropped and the queue is empty.
    pub fn spawn(store: Store, max_batch: usize) -> (Self, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(4096);
        let handle = tokio::spawn(run(store, rx, max_batch.max(1)));
        (Self { tx }, handle)
    }

    /// Writes `items` durably; returns after their transaction committed.
    pub async fn write(&self, items: Vec<StoredItem>) -> StoreResult<Vec<Written>> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Job { items, reply }).await.map_err(|_| StoreError::Unavailable("writer stopped (shutting down)".into()))?;
        rx.await.map_err(|_| StoreError::Unavailable("writer stopped before committing".into()))?
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>, max_batch: usize) {
    while let Some(first) = rx.recv().await {
        let mut size = first.items.len();
        let mut jobs = vec![first];
        while size < max_batch {
            match rx.try_recv() {
                Ok(job) => {
                    size += job.items.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        commit(&store, jobs).await;
    }
}

async fn commit(store: &Store, jobs: Vec<Job>) {
    if jobs.len() == 1 {
        let job = jobs.into_iter().next().expect("one job");
        let result = store.write_batch(&job.items, chrono::Utc::now()).await;
        let _ = job.reply.send(result);
        return;
    }
    let all: Vec<StoredItem> = jobs.iter().flat_map(|j| j.items.iter().cloned()).collect();
    match store.write_batch(&all, chrono::Utc::now()).await {
        Ok(results) => {
            let mut rest = results.into_iter();
            for job in jobs {
                let mine: Vec<Written> = rest.by_ref().take(job.items.len()).collect();
                let _ = job.reply.send(Ok(mine));
            }
        }
        Err(StoreError::Unavailable(msg)) => {
            for job in jobs {
                let _ = job.reply.send(Err(StoreError::Unavailable(msg.clone())));
            }
        }
        Err(err) => {
            // One request's items may have poisoned the batch: retry each on its own so only
            // that request fails.
            tracing::warn!(error = format!("{err:#}"), jobs = jobs.len(), "group commit failed; retrying requests one by one");
            for job in jobs {
                let result = store.write_batch(&job.items, chrono::Utc::now()).await;
                let _ = job.reply.send(result);
            }
        }
    }
}
