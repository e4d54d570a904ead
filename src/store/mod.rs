//! Durable storage behind one type for SQLite and PostgreSQL, picked by the URL scheme.
//!
//! Almost all SQL here is portable (`$n` placeholders, `ON CONFLICT`, `RETURNING` work on
//! both), so each query is written once and run against whichever pool is open through the
//! `on_pool!` macro. Backend-specific setup lives in `sqlite.rs` and `postgres.rs`.

mod migrations;
mod postgres;
mod sqlite;

use crate::domain::{Account, Classification, Feedback, Kind, NewFeedback, Source, StoredItem};
use anyhow::Context;
use chrono::{DateTime, TimeZone, Utc};
use sqlx::{PgPool, Row, SqlitePool};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or refused the connection: callers answer 503.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(e.to_string())
            }
            sqlx::Error::Database(db) if is_unavailable_code(db.code().as_deref()) => StoreError::Unavailable(e.to_string()),
            _ => StoreError::Unexpected(anyhow::Error::new(e)),
        }
    }
}

/// Errors the client should retry later (503), not bugs. PostgreSQL (five-character SQLSTATE):
/// connection exceptions (class 08), shutdown and cancellation (57P0x, 57014), too many
/// connections (53300), a database not accepting connections (55000, e.g. `ALLOW_CONNECTIONS
/// false`), and deadlock or serialization failures between replicas (40P01, 40001). SQLite
/// (numeric extended result codes, compared by their primary code): busy and locked after the
/// busy timeout (5, 6), read-only (8), I/O error (10), disk full (13), cannot open (14).
pub fn is_unavailable_code(code: Option<&str>) -> bool {
    let Some(code) = code else { return false };
    if code.len() == 5 {
        return code.starts_with("08") || code.starts_with("57P") || matches!(code, "57014" | "53300" | "55000" | "40P01" | "40001");
    }
    matches!(code.parse::<u32>().map(|n| n & 0xff), Ok(5 | 6 | 8 | 10 | 13 | 14))
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The open database.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool is open. The body is type-checked once per
/// backend, so it may only use SQL and types both support.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

/// The `feedback` columns `feedback_from_row!` reads, for `SELECT ... FROM feedback f`. Named
/// rather than `f.*`, which on PostgreSQL would also ship every row's `search` tsvector.
pub(crate) const FEEDBACK_COLUMNS: &str = "f.id, f.source, f.external_id, f.kind, f.account_id, f.account_name, f.subject, f.body, \
    f.tags, f.url, f.created_at, f.received_at, f.lost_arr_cents, f.is_performance, f.is_reliability, f.score_performance, \
    f.score_reliability, f.explanation, f.topics, f.model_version";

/// Maps a `feedback` row (the `FEEDBACK_COLUMNS`, by name) to `Feedback`.
macro_rules! feedback_from_row {
    ($row:expr) => {{
        let row = $row;
        let source: String = row.try_get("source")?;
        let kind: String = row.try_get("kind")?;
        let tags: String = row.try_get("tags")?;
        let explanation: String = row.try_get("explanation")?;
        let topics: String = row.try_get("topics")?;
        Feedback {
            id: row.try_get("id")?,
            source: source.parse::<Source>().map_err(|e| anyhow::anyhow!(e))?,
            external_id: row.try_get("external_id")?,
            kind: kind.parse::<Kind>().map_err(|e| anyhow::anyhow!(e))?,
            account_id: row.try_get("account_id")?,
            account_name: row.try_get("account_name")?,
            subject: row.try_get("subject")?,
            body: row.try_get("body")?,
            tags: serde_json::from_str(&tags).context("tags column is not a JSON array")?,
            url: row.try_get("url")?,
            created_at: from_unix(row.try_get("created_at")?),
            received_at: from_unix(row.try_get("received_at")?),
            lost_arr_cents: row.try_get("lost_arr_cents")?,
            classification: Classification {
                performance: row.try_get("is_performance")?,
                reliability: row.try_get("is_reliability")?,
                score_performance: row.try_get("score_performance")?,
                score_reliability: row.try_get("score_reliability")?,
                explanation: serde_json::from_str(&explanation).context("explanation column is not a JSON array")?,
                topics: serde_json::from_str(&topics).context("topics column is not a JSON array")?,
                model_version: row.try_get("model_version")?,
            },
        }
    }};
}

mod evidence;

pub fn from_unix(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// What a write did to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteOutcome {
    Inserted,
    Updated,
    Unchanged,
}

impl WriteOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            WriteOutcome::Inserted => "inserted",
            WriteOutcome::Updated => "updated",
            WriteOutcome::Unchanged => "unchanged",
        }
    }
}

/// One item's write result: its row id and what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    pub id: i64,
    pub outcome: WriteOutcome,
}

/// A gold label from a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub item_id: i64,
    pub text: String,
    pub performance: bool,
    pub reliability: bool,
}

/// A stored model and whether it is the active one.
#[derive(Debug, Clone)]
pub struct StoredModel {
    pub version: String,
    pub created_at: DateTime<Utc>,
    pub active: bool,
    pub metrics: String,
    pub model: String,
}

/// Rows per multi-row statement: 21 parameters per item keeps under SQLite's 32,766.
const ROWS_PER_STATEMENT: usize = 500;
const _: () = assert!(ROWS_PER_STATEMENT * 21 < 32_766, "SQLite's parameter limit");

const INSERT_ITEMS_HEAD: &str = "INSERT INTO feedback (source, external_id, kind, account_id, account_name, subject, body, tags, url, \
     created_at, received_at, lost_arr_cents, content_hash, is_performance, is_reliability, score_performance, \
     score_reliability, explanation, topics, model_version, updated_at) VALUES ";

/// `INSERT_ITEMS_HEAD` with `rows` tuples of the 20 `bind_item!` parameters plus `updated_at`.
fn insert_items_sql(postgres: bool, rows: usize) -> String {
    multi_row(postgres, INSERT_ITEMS_HEAD, 21, rows, " ON CONFLICT (source, external_id) DO NOTHING RETURNING id, source, external_id")
}

/// Row counts PostgreSQL statements are cut into. Every distinct statement text is prepared
/// and planned anew, so a few fixed sizes keep the plans cached under webhook traffic, where
/// each group commit has a different size (measured at 3,000 signed requests/s: one statement
/// text per batch size gave 2,769/s and p99 76 ms; these fixed sizes give 2,999.5/s and 28 ms).
const POSTGRES_CHUNKS: [usize; 5] = [256, 64, 16, 4, 1];

/// `rows` cut into statements: on SQLite up to `ROWS_PER_STATEMENT` each (preparing is cheap,
/// round trips to sqlx's worker thread are not); on PostgreSQL greedily into `POSTGRES_CHUNKS`.
fn statement_chunks<T>(rows: &[T], postgres: bool) -> Vec<&[T]> {
    if !postgres {
        return rows.chunks(ROWS_PER_STATEMENT).collect();
    }
    let mut out = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let size = POSTGRES_CHUNKS.iter().copied().find(|&s| s <= rest.len()).unwrap_or(1);
        let (head, tail) = rest.split_at(size);
        out.push(head);
        rest = tail;
    }
    out
}

/// `head` + `rows` tuples of `width` parameters + `tail`. PostgreSQL gets `$n`; SQLite gets
/// anonymous `?`, bound in order: sqlx looks every parameter up by name, and SQLite's name
/// lookup walks a list, so numbered parameters make a 10,000-parameter statement quadratic
/// (the profile of an import spent 76% in `sqlite3_bind_parameter_name`).
fn multi_row(postgres: bool, head: &str, width: usize, rows: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * width * 6);
    sql.push_str(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ",(" });
        for k in 1..=width {
            if k > 1 {
                sql.push(',');
            }
            if postgres {
                sql.push_str(&format!("${}", r * width + k));
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// The account rows a batch writes: full records (merged per id, later values winning where
/// set) and bare references (id and a name, only where no full record is in the batch), each
/// sorted by id so concurrent writers lock rows in one order.
fn account_writes(items: &[StoredItem]) -> (Vec<Account>, Vec<(&str, Option<&str>)>) {
    let mut records: std::collections::BTreeMap<&str, Account> = std::collections::BTreeMap::new();
    for a in items.iter().filter_map(|s| s.item.account_record.as_ref()) {
        let merged = records.entry(a.id.as_str()).or_insert_with(|| Account { id: a.id.clone(), name: None, plan: None, arr_cents: None });
        merged.name = a.name.clone().or(merged.name.take());
        merged.plan = a.plan.clone().or(merged.plan.take());
        merged.arr_cents = a.arr_cents.or(merged.arr_cents);
    }
    let mut touches: std::collections::BTreeMap<&str, Option<&str>> = std::collections::BTreeMap::new();
    for s in items.iter().filter(|s| s.item.account_record.is_none()) {
        if let Some(id) = s.item.account.id.as_deref().filter(|id| !records.contains_key(id)) {
            let name = touches.entry(id).or_insert(None);
            if name.is_none() {
                *name = s.item.account.name.as_deref();
            }
        }
    }
    (records.into_values().collect(), touches.into_iter().collect())
}

/// Updates a changed item. The creation time only moves earlier: a payload without one carries
/// its receipt time, which must not move an edited ticket to today.
const UPDATE_ITEM: &str = "UPDATE feedback SET kind = $3, account_id = $4, account_name = $5, subject = $6, body = $7, tags = $8, \
     url = $9, created_at = CASE WHEN $10 < created_at THEN $10 ELSE created_at END, updated_at = $11, lost_arr_cents = $12, content_hash = $13, is_performance = $14, \
     is_reliability = $15, score_performance = $16, score_reliability = $17, explanation = $18, topics = $19, model_version = $20 \
     WHERE source = $1 AND external_id = $2 AND content_hash <> $13 RETURNING id, created_at";

/// Looks up stored items by (source, external id): `EXISTING_ITEMS_HEAD` + key tuples + tail.
const EXISTING_ITEMS_HEAD: &str = "WITH k (source, external_id) AS (VALUES ";
const EXISTING_ITEMS_TAIL: &str = ") SELECT f.id, f.source, f.external_id, f.content_hash FROM k JOIN feedback f ON f.source = k.source AND f.external_id = k.external_id";

const UPSERT_ACCOUNTS_HEAD: &str = "INSERT INTO accounts (account_id, name, plan, arr_cents, updated_at) VALUES ";
const UPSERT_ACCOUNTS_TAIL: &str = " ON CONFLICT (account_id) DO UPDATE SET name = COALESCE(excluded.name, accounts.name), \
     plan = COALESCE(excluded.plan, accounts.plan), arr_cents = COALESCE(excluded.arr_cents, accounts.arr_cents), \
     updated_at = excluded.updated_at";

const TOUCH_ACCOUNTS_HEAD: &str = "INSERT INTO accounts (account_id, name, updated_at) VALUES ";
const TOUCH_ACCOUNTS_TAIL: &str = " ON CONFLICT (account_id) DO UPDATE SET name = COALESCE(accounts.name, excluded.name)";

/// Binds one item's 20 parameters in `INSERT_ITEMS_HEAD` / `UPDATE_ITEM` order.
macro_rules! bind_item {
    ($query:expr, $stored:expr, $now:expr, $hash:expr) => {{
        let it: &NewFeedback = &$stored.item;
        let c: &Classification = &$stored.classification;
        $query
            .bind(it.source.as_str())
            .bind(&it.external_id)
            .bind(it.kind.as_str())
            .bind(it.account.id.as_deref())
            .bind(it.account.name.as_deref())
            .bind(&it.subject)
            .bind(&it.body)
            .bind(serde_json::to_string(&it.tags).unwrap_or_else(|_| "[]".into()))
            .bind(it.url.as_deref())
            .bind(it.created_at.timestamp())
            .bind($now)
            .bind(it.lost_arr_cents)
            .bind($hash)
            .bind(c.performance)
            .bind(c.reliability)
            .bind(c.score_performance)
            .bind(c.score_reliability)
            .bind(serde_json::to_string(&c.explanation).unwrap_or_else(|_| "[]".into()))
            .bind(serde_json::to_string(&c.topics).unwrap_or_else(|_| "[]".into()))
            .bind(&c.model_version)
    }};
}

/// An open write transaction (`Store::begin_write`). Dropped without `commit`, it rolls back.
pub enum WriteTx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// `on_pool!` for an open transaction.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            WriteTx::Sqlite($conn) => $body,
            WriteTx::Postgres($conn) => $body,
        }
    };
}

impl WriteTx {
    /// Writes items inside this transaction; see `Store::write_batch`.
    pub async fn write(&mut self, items: &[StoredItem], now: DateTime<Utc>) -> StoreResult<Vec<Written>> {
        let now = now.timestamp();
        let hashes: Vec<String> = items.iter().map(|s| s.item.content_hash()).collect();
        let (upserts, touches) = account_writes(items);
        // Items are written in (source, external id) order, whatever order they came in.
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&items[a].item, &items[b].item);
            (x.source.as_str(), x.external_id.as_str()).cmp(&(y.source.as_str(), y.external_id.as_str()))
        });
        let pg = matches!(self, WriteTx::Postgres(_));
        on_tx!(self, tx => {
            // Accounts first (sorted by id), many rows per statement: per-statement overhead
            // dominates on SQLite.
            for chunk in statement_chunks(&upserts, pg) {
                let sql = multi_row(pg, UPSERT_ACCOUNTS_HEAD, 5, chunk.len(), UPSERT_ACCOUNTS_TAIL);
                let mut q = sqlx::query(&sql);
                for a in chunk {
                    q = q.bind(&a.id).bind(a.name.as_deref()).bind(a.plan.as_deref()).bind(a.arr_cents.map(|v| v.0)).bind(now);
                }
                q.execute(&mut **tx).await?;
            }
            for chunk in statement_chunks(&touches, pg) {
                let sql = multi_row(pg, TOUCH_ACCOUNTS_HEAD, 3, chunk.len(), TOUCH_ACCOUNTS_TAIL);
                let mut q = sqlx::query(&sql);
                for (id, name) in chunk {
                    q = q.bind(*id).bind(*name).bind(now);
                }
                q.execute(&mut **tx).await?;
            }
            // New items in one multi-row INSERT per chunk; rows that already exist (or repeat
            // within the batch) come back missing and take the per-item update path below.
            let mut out: Vec<Option<Written>> = vec![None; items.len()];
            for chunk in statement_chunks(&order, pg) {
                let sql = insert_items_sql(pg, chunk.len());
                let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql);
                for &i in chunk {
                    q = bind_item!(q, &items[i], now, &hashes[i]).bind(now);
                }
                let mut inserted: std::collections::HashMap<(String, String), i64> =
                    q.fetch_all(&mut **tx).await?.into_iter().map(|(id, source, external)| ((source, external), id)).collect();
                for &i in chunk {
                    let key = (items[i].item.source.as_str().to_string(), items[i].item.external_id.clone());
                    if let Some(id) = inserted.remove(&key) {
                        out[i] = Some(Written { id, outcome: WriteOutcome::Inserted });
                    }
                }
            }
            // The rest already exist: their stored ids and content hashes in one statement per
            // chunk, so an exact redelivery (a re-run import) costs no write and no per-item
            // round trip; only changed items take the per-item UPDATE.
            // Each item's creation time as stored, for its topic rows.
            let mut created_at: Vec<i64> = items.iter().map(|s| s.item.created_at.timestamp()).collect();
            let existing_order: Vec<usize> = order.iter().copied().filter(|&i| out[i].is_none()).collect();
            let mut existing: std::collections::HashMap<(String, String), (i64, String)> = std::collections::HashMap::new();
            for chunk in statement_chunks(&existing_order, pg) {
                let sql = multi_row(pg, EXISTING_ITEMS_HEAD, 2, chunk.len(), EXISTING_ITEMS_TAIL);
                let mut q = sqlx::query_as::<_, (i64, String, String, String)>(&sql);
                for &i in chunk {
                    q = q.bind(items[i].item.source.as_str()).bind(&items[i].item.external_id);
                }
                for (id, source, external, hash) in q.fetch_all(&mut **tx).await? {
                    existing.insert((source, external), (id, hash));
                }
            }
            for &i in &existing_order {
                let stored = &items[i];
                let key = (stored.item.source.as_str().to_string(), stored.item.external_id.clone());
                let Some((id, stored_hash)) = existing.get_mut(&key) else {
                    return Err(anyhow::anyhow!("item ({}, {}) was neither inserted nor found", key.0, key.1).into());
                };
                if *stored_hash == hashes[i] {
                    out[i] = Some(Written { id: *id, outcome: WriteOutcome::Unchanged });
                    continue;
                }
                let updated: Option<(i64, i64)> = bind_item!(sqlx::query_as(UPDATE_ITEM), stored, now, &hashes[i])
                    .fetch_optional(&mut **tx).await?;
                out[i] = Some(match updated {
                    Some((id, stored_created_at)) => {
                        created_at[i] = stored_created_at;
                        sqlx::query("DELETE FROM feedback_topics WHERE item_id = $1").bind(id).execute(&mut **tx).await?;
                        Written { id, outcome: WriteOutcome::Updated }
                    }
                    None => Written { id: *id, outcome: WriteOutcome::Unchanged },
                });
                // A later repeat of this key in the batch compares against what is stored now.
                stored_hash.clone_from(&hashes[i]);
            }
            let out: Vec<Written> = out.into_iter().map(|w| w.expect("every item has a write result")).collect();
            // Topic rows for what was written; an item written twice in the batch keeps the
            // topics of its last delivery.
            let last_write: std::collections::HashMap<i64, usize> =
                out.iter().enumerate().filter(|(_, w)| w.outcome != WriteOutcome::Unchanged).map(|(i, w)| (w.id, i)).collect();
            let topics: Vec<(&str, i64, i64)> = (0..items.len())
                .filter(|&i| out[i].outcome != WriteOutcome::Unchanged && last_write.get(&out[i].id) == Some(&i))
                .flat_map(|i| {
                    let (at, id) = (created_at[i], out[i].id);
                    items[i].classification.topics.iter().map(move |t| (t.as_str(), at, id))
                })
                .collect();
            for chunk in statement_chunks(&topics, pg) {
                let sql = multi_row(pg, "INSERT INTO feedback_topics (topic, created_at, item_id) VALUES ", 3, chunk.len(), " ON CONFLICT DO NOTHING");
                let mut q = sqlx::query(&sql);
                for (topic, created_at, id) in chunk {
                    q = q.bind(*topic).bind(*created_at).bind(*id);
                }
                q.execute(&mut **tx).await?;
            }
            Ok(out)
        })
    }

    pub async fn commit(self) -> StoreResult<()> {
        match self {
            WriteTx::Sqlite(tx) => tx.commit().await?,
            WriteTx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// Bulk loads (import, gen): many chunks of items through few transactions (`Store::bulk_writer`).
/// A transaction is opened by the first write after a commit; `commit_if_full` commits it once
/// it holds `per_transaction` items, `finish` commits what is left. Dropped unfinished, the open
/// transaction rolls back.
pub struct BulkWriter<'a> {
    store: &'a Store,
    per_transaction: usize,
    open: Option<(WriteTx, usize)>,
}

impl BulkWriter<'_> {
    /// Writes `items` in the open transaction (see `Store::write_batch` for the outcomes).
    pub async fn write(&mut self, items: &[StoredItem], now: DateTime<Utc>) -> StoreResult<Vec<Written>> {
        let (tx, held) = match self.open.as_mut() {
            Some(open) => open,
            None => self.open.insert((self.store.begin_write().await?, 0)),
        };
        let written = tx.write(items, now).await?;
        *held += items.len();
        Ok(written)
    }

    /// Commits the open transaction if it holds `per_transaction` items or more.
    pub async fn commit_if_full(&mut self) -> StoreResult<()> {
        if self.open.as_ref().is_some_and(|(_, held)| *held >= self.per_transaction) {
            self.finish_open().await?;
        }
        Ok(())
    }

    /// Commits the open transaction, if any.
    pub async fn finish(mut self) -> StoreResult<()> {
        self.finish_open().await
    }

    async fn finish_open(&mut self) -> StoreResult<()> {
        match self.open.take() {
            Some((tx, _)) => tx.commit().await,
            None => Ok(()),
        }
    }
}

impl Store {
    /// Opens the database named by `url` (`sqlite://...` or `postgres://...`).
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        if url.starts_with("sqlite:") {
            sqlite::connect(url, max_connections).await.map(Store::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            postgres::connect(url, max_connections).await.map(Store::Postgres)
        } else {
            Err(anyhow::anyhow!("unsupported database URL scheme; use sqlite:// or postgres://").into())
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Applies pending migrations (idempotent; PostgreSQL takes an advisory lock so replicas
    /// starting together don't race).
    pub async fn migrate(&self) -> StoreResult<()> {
        match self {
            Store::Sqlite(pool) => migrations::sqlite().await?.run(pool).await,
            Store::Postgres(pool) => migrations::postgres().await?.run(pool).await,
        }
        .context("Failed to apply database migrations")?;
        Ok(())
    }

    /// After a bulk load (import, gen). PostgreSQL: `VACUUM (ANALYZE)` the tables just filled,
    /// so the planner has statistics and index-only scans skip the heap at once rather than
    /// after autovacuum's next pass (at 1M items: evidence p99 226 ms before, 109 ms after; the
    /// VACUUM took 0.9 s). SQLite: nothing to do. Returns whether anything ran.
    pub async fn settle_after_bulk_load(&self) -> StoreResult<bool> {
        match self {
            Store::Sqlite(_) => Ok(false),
            Store::Postgres(pool) => {
                // Its own connection, without sqlx's slow-statement warning: a VACUUM is slow by nature.
                use sqlx::{ConnectOptions, Connection};
                let mut conn = (*pool.connect_options()).clone().disable_statement_logging().connect().await?;
                sqlx::query("VACUUM (ANALYZE) feedback, feedback_topics, accounts").execute(&mut conn).await?;
                conn.close().await?;
                Ok(true)
            }
        }
    }

    /// Cheap round trip for `/readyz`.
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, pool => { sqlx::query("SELECT 1").execute(pool).await?; });
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }

    /// A write the database must accept for the service to be ready: on SQLite a write lock
    /// taken and released (readers keep working while another process holds the lock), on
    /// PostgreSQL a round trip inside a transaction.
    pub async fn probe_write(&self) -> StoreResult<()> {
        match self {
            Store::Sqlite(pool) => pool.begin_with("BEGIN IMMEDIATE").await?.rollback().await?,
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT 1").execute(&mut *tx).await?;
                tx.rollback().await?;
            }
        }
        Ok(())
    }

    /// Writes items in one transaction: new items are inserted, changed ones updated, exact
    /// redeliveries left alone. Nothing is visible (or acknowledged) until the commit. Rows are
    /// locked in one global order (accounts by id, then items by source and external id, the
    /// caller's order kept among equal keys) so concurrent replicas cannot deadlock each other;
    /// results come back in the caller's order.
    pub async fn write_batch(&self, items: &[StoredItem], now: DateTime<Utc>) -> StoreResult<Vec<Written>> {
        let mut tx = self.begin_write().await?;
        let written = tx.write(items, now).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// A `BulkWriter` committing every `per_transaction` items.
    pub fn bulk_writer(&self, per_transaction: usize) -> BulkWriter<'_> {
        BulkWriter { store: self, per_transaction: per_transaction.max(1), open: None }
    }

    /// Opens a write transaction that several `WriteTx::write` calls share before one commit:
    /// a bulk import writes bounded chunks of items while the database sees few, large
    /// transactions. Rows are locked in the global order within each `write`, not across
    /// writes, so on PostgreSQL next to live replicas a deadlock (reported as unavailable,
    /// retryable) becomes possible with several writes per transaction; the import keeps one
    /// there by default.
    pub async fn begin_write(&self) -> StoreResult<WriteTx> {
        Ok(match self {
            Store::Sqlite(pool) => WriteTx::Sqlite(pool.begin().await?),
            Store::Postgres(pool) => WriteTx::Postgres(pool.begin().await?),
        })
    }

    /// Inserts or updates accounts (name, plan, ARR) in one transaction.
    pub async fn upsert_accounts(&self, accounts: &[Account], now: DateTime<Utc>) -> StoreResult<u64> {
        let pg = matches!(self, Store::Postgres(_));
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // One statement per chunk; a file listing an account twice keeps its last row.
            let mut last: std::collections::BTreeMap<&str, &Account> = std::collections::BTreeMap::new();
            for acc in accounts {
                last.insert(acc.id.as_str(), acc);
            }
            let unique: Vec<&Account> = last.into_values().collect();
            for chunk in statement_chunks(&unique, pg) {
                let sql = multi_row(pg, UPSERT_ACCOUNTS_HEAD, 5, chunk.len(), UPSERT_ACCOUNTS_TAIL);
                let mut q = sqlx::query(&sql);
                for acc in chunk {
                    q = q.bind(&acc.id).bind(acc.name.as_deref()).bind(acc.plan.as_deref()).bind(acc.arr_cents.map(|a| a.0)).bind(now.timestamp());
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(accounts.len() as u64)
        })
    }

    pub async fn account(&self, id: &str) -> StoreResult<Option<Account>> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT account_id, name, plan, arr_cents FROM accounts WHERE account_id = $1")
                .bind(id).fetch_optional(pool).await?;
            Ok(match row {
                Some(r) => Some(Account {
                    id: r.try_get("account_id")?,
                    name: r.try_get("name")?,
                    plan: r.try_get("plan")?,
                    arr_cents: r.try_get::<Option<i64>, _>("arr_cents")?.map(crate::domain::ArrCents),
                }),
                None => None,
            })
        })
    }

    /// Items with `id > after`, in id order: the paging used by export and reclassify.
    pub async fn items_after(&self, after: i64, limit: i64) -> StoreResult<Vec<Feedback>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!("SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.id > $1 ORDER BY f.id LIMIT $2"))
                .bind(after).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(feedback_from_row!(row));
            }
            Ok(out)
        })
    }

    pub async fn item(&self, id: i64) -> StoreResult<Option<Feedback>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.id = $1")).bind(id).fetch_optional(pool).await?;
            Ok(match row { Some(row) => Some(feedback_from_row!(&row)), None => None })
        })
    }

    pub async fn item_by_external(&self, source: Source, external_id: &str) -> StoreResult<Option<Feedback>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT {FEEDBACK_COLUMNS} FROM feedback f WHERE f.source = $1 AND f.external_id = $2"))
                .bind(source.as_str()).bind(external_id).fetch_optional(pool).await?;
            Ok(match row { Some(row) => Some(feedback_from_row!(&row)), None => None })
        })
    }

    pub async fn count_items(&self) -> StoreResult<i64> {
        on_pool!(self, pool => Ok(sqlx::query_scalar("SELECT COUNT(*) FROM feedback").fetch_one(pool).await?))
    }

    /// Items per topic created in `[from, to)`, largest first.
    pub async fn topic_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<(String, i64)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT topic, COUNT(*) AS n FROM feedback_topics WHERE created_at >= $1 AND created_at < $2 GROUP BY topic ORDER BY n DESC, topic")
                .bind(from.timestamp()).bind(to.timestamp()).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((r.try_get("topic")?, r.try_get("n")?));
            }
            Ok(out)
        })
    }

    /// (all items, performance, reliability) created in `[from, to)`.
    pub async fn category_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<(i64, i64, i64)> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT COUNT(*) AS n, SUM(CASE WHEN is_performance THEN 1 ELSE 0 END) AS p, \
                                   SUM(CASE WHEN is_reliability THEN 1 ELSE 0 END) AS r FROM feedback WHERE created_at >= $1 AND created_at < $2")
                .bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            Ok((row.try_get("n")?, row.try_get::<Option<i64>, _>("p")?.unwrap_or(0), row.try_get::<Option<i64>, _>("r")?.unwrap_or(0)))
        })
    }

    /// Replaces the classification (and topic rows) of existing items.
    pub async fn set_classifications(&self, updates: &[(i64, DateTime<Utc>, Classification)]) -> StoreResult<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (id, created_at, c) in updates {
                sqlx::query("UPDATE feedback SET is_performance = $2, is_reliability = $3, score_performance = $4, \
                             score_reliability = $5, explanation = $6, topics = $7, model_version = $8 WHERE id = $1")
                    .bind(id).bind(c.performance).bind(c.reliability).bind(c.score_performance).bind(c.score_reliability)
                    .bind(serde_json::to_string(&c.explanation).unwrap_or_default())
                    .bind(serde_json::to_string(&c.topics).unwrap_or_default())
                    .bind(&c.model_version)
                    .execute(&mut *tx).await?;
                sqlx::query("DELETE FROM feedback_topics WHERE item_id = $1").bind(id).execute(&mut *tx).await?;
                for topic in &c.topics {
                    sqlx::query("INSERT INTO feedback_topics (topic, created_at, item_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(topic).bind(created_at.timestamp()).bind(id).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records a person's correction and applies it to the item at once.
    pub async fn record_correction(
        &self,
        item_id: i64,
        performance: bool,
        reliability: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM feedback WHERE id = $1").bind(item_id).fetch_optional(&mut *tx).await?;
            if exists.is_none() {
                return Ok(false);
            }
            sqlx::query("INSERT INTO corrections (item_id, is_performance, is_reliability, corrected_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(item_id).bind(performance).bind(reliability).bind(by).bind(now.timestamp())
                .execute(&mut *tx).await?;
            let label = format!("correction:{by}");
            sqlx::query("UPDATE feedback SET is_performance = $2, is_reliability = $3, explanation = $4 WHERE id = $1")
                .bind(item_id).bind(performance).bind(reliability)
                .bind(serde_json::to_string(&vec![label]).unwrap_or_default())
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The latest correction per item, with the item's text: training data.
    pub async fn corrections(&self) -> StoreResult<Vec<Correction>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "SELECT c.item_id, c.is_performance, c.is_reliability, f.subject, f.body FROM corrections c \
                 JOIN feedback f ON f.id = c.item_id \
                 WHERE c.id = (SELECT MAX(c2.id) FROM corrections c2 WHERE c2.item_id = c.item_id) ORDER BY c.item_id")
                .fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let subject: String = r.try_get("subject")?;
                let body: String = r.try_get("body")?;
                out.push(Correction {
                    item_id: r.try_get("item_id")?,
                    text: if subject.is_empty() { body } else { format!("{subject}\n{body}") },
                    performance: r.try_get("is_performance")?,
                    reliability: r.try_get("is_reliability")?,
                });
            }
            Ok(out)
        })
    }

    /// Saves a trained model; with `activate`, it becomes the only active one.
    pub async fn save_model(&self, version: &str, metrics: &str, model: &str, activate: bool, now: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if activate {
                sqlx::query("UPDATE models SET active = FALSE WHERE active").execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO models (version, created_at, active, metrics, model) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (version) DO UPDATE SET active = excluded.active, metrics = excluded.metrics, model = excluded.model")
                .bind(version).bind(now.timestamp()).bind(activate).bind(metrics).bind(model)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Marks a stored model version active. Returns false when there is no such version.
    pub async fn activate_model(&self, version: &str) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let found: Option<String> = sqlx::query_scalar("SELECT version FROM models WHERE version = $1").bind(version).fetch_optional(&mut *tx).await?;
            if found.is_none() {
                return Ok(false);
            }
            sqlx::query("UPDATE models SET active = (version = $1)").bind(version).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn active_model(&self) -> StoreResult<Option<StoredModel>> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT version, created_at, active, metrics, model FROM models WHERE active LIMIT 1")
                .fetch_optional(pool).await?;
            Ok(match row {
                Some(r) => Some(StoredModel {
                    version: r.try_get("version")?,
                    created_at: from_unix(r.try_get("created_at")?),
                    active: r.try_get("active")?,
                    metrics: r.try_get("metrics")?,
                    model: r.try_get("model")?,
                }),
                None => None,
            })
        })
    }
}

// After the macros above, which it uses.
mod slack;
pub use slack::{NewOutboxMessage, OutboxMessage, OutboxRow, TopicTotals};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_statements_number_postgres_parameters_and_leave_sqlite_ones_anonymous() {
        assert_eq!(
            multi_row(true, "INSERT INTO t (a, b) VALUES ", 2, 2, " RETURNING a"),
            "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4) RETURNING a"
        );
        assert_eq!(multi_row(false, "INSERT INTO t (a, b) VALUES ", 2, 2, ""), "INSERT INTO t (a, b) VALUES (?,?),(?,?)");
        let sql = insert_items_sql(true, ROWS_PER_STATEMENT);
        assert!(sql.contains(&format!("${})", ROWS_PER_STATEMENT * 21)));
    }

    #[test]
    fn postgres_statements_come_in_a_few_fixed_sizes_and_sqlite_ones_in_big_chunks() {
        let rows: Vec<u32> = (0..345).collect();
        let sizes = |pg| statement_chunks(&rows, pg).iter().map(|c| c.len()).collect::<Vec<_>>();
        assert_eq!(sizes(true), vec![256, 64, 16, 4, 4, 1]);
        assert_eq!(sizes(false), vec![345]);
        assert_eq!(statement_chunks(&rows, true).concat(), rows, "nothing lost or reordered");
        assert!(statement_chunks::<u32>(&[], true).is_empty());
    }

    #[test]
    fn retryable_database_errors_are_unavailable_and_bugs_are_not() {
        for code in ["08006", "57P01", "57014", "53300", "55000", "40P01", "40001", "5", "6", "261", "517", "13", "10", "14", "8"] {
            assert!(is_unavailable_code(Some(code)), "{code}");
        }
        // Unique and check violations, syntax errors: bugs, not outages. "23505" is five
        // characters, so it is never read as a SQLite number.
        for code in ["23505", "23514", "42601", "19", "2067", "1"] {
            assert!(!is_unavailable_code(Some(code)), "{code}");
        }
        assert!(!is_unavailable_code(None));
    }
}
