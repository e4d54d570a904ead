//! SQLite specifics: file created if missing, WAL journal, full fsync on commit, busy timeout,
//! and turns for this process's hot writers.

use super::{Store, StoreResult};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub async fn connect(url: &str, max_connections: u32) -> StoreResult<SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| anyhow::anyhow!("invalid SQLite URL '{url}': {e}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a commit (and so a 2xx) survives power loss, not only a process crash.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true)
        .pragma("temp_store", "memory")
        .pragma("cache_size", "-32000");
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let pool = SqlitePoolOptions::new()
        // An in-memory database exists per connection: keep exactly one.
        .max_connections(if in_memory { 1 } else { max_connections.max(1) })
        .min_connections(if in_memory { 1 } else { 0 })
        .idle_timeout(if in_memory { None } else { Some(Duration::from_secs(600)) })
        .max_lifetime(if in_memory { None } else { Some(Duration::from_secs(1800)) })
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// SQLite takes one writer at a time, and a writer that finds the lock taken sleeps in SQLite's
/// busy handler (1 ms, then longer, up to 100 ms a try) while others take the lock again and
/// again: under 1,000 webhooks/s the outbox's small writes waited up to a second behind the
/// group commits (BENCHMARKS.md, churn alerts). This process's hot writers (the group commit and
/// the outbox) take turns here instead, first come first served. Other processes (a CLI command)
/// still meet the busy handler. One turn for every SQLite file the process has open: writes to
/// two files (tests) wait on each other, which is harmless.
static WRITE_TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Store {
    /// This process's turn to write, on SQLite; nothing to wait for on PostgreSQL (row locks).
    pub(super) async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'static, ()>> {
        match self {
            Store::Sqlite(_) => Some(WRITE_TURN.lock().await),
            Store::Postgres(_) => None,
        }
    }
}
