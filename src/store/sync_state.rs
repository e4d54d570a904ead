//! Where each pulled source stands: its cursor, what it has pulled, its last success and error,
//! and the lease that lets one process at a time sync it. A page of items and the cursor that
//! follows it are committed in one transaction (`Store::write_page`), through the same item
//! write path as the webhooks, and only while the writer still holds the lease: a process
//! killed mid-page loses the page's uncommitted items and its cursor together, so a restart
//! fetches that page again and nothing is lost or repeated.

use super::outbox::NewOutboxMessage;
use super::{Store, StoreResult, WriteOutcome, WriteTx, Written, from_unix};
use crate::domain::StoredItem;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One source's row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SyncRow {
    pub source: String,
    /// The connector's own cursor (JSON); `None` before the first page.
    pub cursor: Option<String>,
    /// The vendor time the cursor has reached (the newest update pulled).
    pub position_at: Option<DateTime<Utc>>,
    /// Everything changed before this time is stored: the start of the last complete pass.
    pub synced_through: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub pages: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// Records the vendor sent that are not feedback (a cancellation without a reason, an
    /// empty ticket) or repeats within a pass.
    pub skipped: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
}

impl SyncRow {
    /// Items pulled so far (each version counted once).
    pub fn items(&self) -> i64 {
        self.inserted + self.updated + self.unchanged
    }
}

/// A page to commit: its items (with any alerts about them), the cursor that follows it, and
/// account email domains seen on it.
#[derive(Debug)]
pub struct PageWrite<'a> {
    pub source: &'a str,
    pub owner: &'a str,
    pub items: &'a [StoredItem],
    pub outbox: &'a [NewOutboxMessage],
    /// (account id, email domain) pairs; a domain is kept once an account has one.
    pub domains: &'a [(String, String)],
    pub cursor: &'a str,
    pub position_at: Option<DateTime<Utc>>,
    pub skipped: i64,
    pub lease_secs: i64,
}

const COLUMNS: &str = "source, cursor, position_at, synced_through, last_success, last_attempt, last_error, last_error_at, \
     pages, inserted, updated, unchanged, skipped, lease_owner, lease_until";

/// The lease is taken when free, expired, or already ours.
const TAKE_LEASE: &str = "UPDATE sync_state SET lease_owner = $2, lease_until = $3, last_attempt = $4 \
     WHERE source = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until IS NULL OR lease_until <= $4)";

/// Saves the cursor after a page, renewing the lease, only for its holder.
const SAVE_CURSOR: &str = "UPDATE sync_state SET cursor = $3, position_at = COALESCE($4, position_at), lease_until = $5, \
     pages = pages + 1, inserted = inserted + $6, updated = updated + $7, unchanged = unchanged + $8, skipped = skipped + $9 \
     WHERE source = $1 AND lease_owner = $2";

macro_rules! sync_row {
    ($r:expr) => {{
        let r = $r;
        let time = |name: &str| -> Result<Option<DateTime<Utc>>, sqlx::Error> { Ok(r.try_get::<Option<i64>, _>(name)?.map(from_unix)) };
        SyncRow {
            source: r.try_get("source")?,
            cursor: r.try_get("cursor")?,
            position_at: time("position_at")?,
            synced_through: time("synced_through")?,
            last_success: time("last_success")?,
            last_attempt: time("last_attempt")?,
            last_error: r.try_get("last_error")?,
            last_error_at: time("last_error_at")?,
            pages: r.try_get("pages")?,
            inserted: r.try_get("inserted")?,
            updated: r.try_get("updated")?,
            unchanged: r.try_get("unchanged")?,
            skipped: r.try_get("skipped")?,
            lease_owner: r.try_get("lease_owner")?,
            lease_until: time("lease_until")?,
        }
    }};
}

impl Store {
    /// Every source that has synced or tried to.
    pub async fn sync_rows(&self) -> StoreResult<Vec<SyncRow>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM sync_state ORDER BY source")).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(sync_row!(r));
            }
            Ok(out)
        })
    }

    pub async fn sync_row(&self, source: &str) -> StoreResult<Option<SyncRow>> {
        Ok(self.sync_rows().await?.into_iter().find(|r| r.source == source))
    }

    /// Takes `source`'s lease for `owner` until `now + secs` when no one else holds it (or theirs
    /// expired). False: another process is syncing it.
    pub async fn take_sync_lease(&self, source: &str, owner: &str, now: DateTime<Utc>, secs: i64) -> StoreResult<bool> {
        let now_s = now.timestamp();
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO sync_state (source) VALUES ($1) ON CONFLICT (source) DO NOTHING").bind(source).execute(pool).await?;
            let taken = sqlx::query(TAKE_LEASE).bind(source).bind(owner).bind(now_s + secs).bind(now_s).execute(pool).await?;
            Ok(taken.rows_affected() == 1)
        })
    }

    /// Extends a held lease (before a long rate-limit wait). False: it was lost.
    pub async fn renew_sync_lease(&self, source: &str, owner: &str, now: DateTime<Utc>, secs: i64) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE sync_state SET lease_until = $3 WHERE source = $1 AND lease_owner = $2")
                .bind(source).bind(owner).bind(now.timestamp() + secs).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Gives the lease up, so another process may sync the source at once.
    pub async fn release_sync_lease(&self, source: &str, owner: &str) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE sync_state SET lease_owner = NULL, lease_until = NULL WHERE source = $1 AND lease_owner = $2")
                .bind(source).bind(owner).execute(pool).await?;
        });
        Ok(())
    }

    /// A pass reached the end of the vendor's stream: everything changed before `through` is stored.
    pub async fn sync_succeeded(&self, source: &str, owner: &str, now: DateTime<Utc>, through: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE sync_state SET last_success = $3, synced_through = $4, last_error = NULL, last_error_at = NULL \
                 WHERE source = $1 AND lease_owner = $2")
                .bind(source).bind(owner).bind(now.timestamp()).bind(through.timestamp()).execute(pool).await?;
        });
        Ok(())
    }

    /// A pass stopped on `error` (its position kept); shown by `sync --status` until a pass succeeds.
    pub async fn sync_failed(&self, source: &str, now: DateTime<Utc>, error: &str) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO sync_state (source) VALUES ($1) ON CONFLICT (source) DO NOTHING").bind(source).execute(pool).await?;
            sqlx::query("UPDATE sync_state SET last_error = $2, last_error_at = $3 WHERE source = $1")
                .bind(source).bind(error).bind(now.timestamp()).execute(pool).await?;
        });
        Ok(())
    }

    /// Forgets `source`'s cursor (`sync --since`): its next pass starts from the given time.
    /// Refused (false) while another process holds its lease.
    pub async fn reset_sync_cursor(&self, source: &str, owner: &str) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE sync_state SET cursor = NULL, position_at = NULL WHERE source = $1 AND lease_owner = $2")
                .bind(source).bind(owner).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Commits a page: its items through the item write path, the alerts about them, the
    /// account domains, then the cursor and the counters, in one transaction, while `owner`
    /// holds the lease. `None`: the lease was lost (another process took over after it expired),
    /// and nothing was written.
    pub async fn write_page(&self, page: &PageWrite<'_>, now: DateTime<Utc>) -> StoreResult<Option<Vec<Written>>> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let written = tx.write(page.items, now).await?;
        tx.enqueue(page.outbox, now).await?;
        tx.set_account_domains(page.domains).await?;
        let count = |o: WriteOutcome| written.iter().filter(|w| w.outcome == o).count() as i64;
        let counts = [count(WriteOutcome::Inserted), count(WriteOutcome::Updated), count(WriteOutcome::Unchanged), page.skipped];
        let saved = tx.save_cursor(page, now.timestamp() + page.lease_secs, counts).await?;
        if !saved {
            tx.rollback().await?;
            return Ok(None);
        }
        tx.commit().await?;
        Ok(Some(written))
    }
}

impl WriteTx {
    async fn set_account_domains(&mut self, domains: &[(String, String)]) -> StoreResult<()> {
        const SET: &str = "UPDATE accounts SET email_domain = $2 WHERE account_id = $1 AND email_domain IS NULL";
        let mut sorted: Vec<&(String, String)> = domains.iter().collect();
        sorted.sort();
        sorted.dedup_by(|a, b| a.0 == b.0);
        for (account, domain) in sorted {
            match self {
                WriteTx::Sqlite(tx) => {
                    sqlx::query(SET).bind(account).bind(domain).execute(&mut **tx).await?;
                }
                WriteTx::Postgres(tx) => {
                    sqlx::query(SET).bind(account).bind(domain).execute(&mut **tx).await?;
                }
            }
        }
        Ok(())
    }

    async fn save_cursor(&mut self, page: &PageWrite<'_>, lease_until: i64, counts: [i64; 4]) -> StoreResult<bool> {
        let position = page.position_at.map(|t| t.timestamp());
        macro_rules! save {
            ($tx:expr) => {
                sqlx::query(SAVE_CURSOR)
                    .bind(page.source)
                    .bind(page.owner)
                    .bind(page.cursor)
                    .bind(position)
                    .bind(lease_until)
                    .bind(counts[0])
                    .bind(counts[1])
                    .bind(counts[2])
                    .bind(counts[3])
                    .execute(&mut **$tx)
                    .await?
                    .rows_affected()
            };
        }
        let done = match self {
            WriteTx::Sqlite(tx) => save!(tx),
            WriteTx::Postgres(tx) => save!(tx),
        };
        Ok(done == 1)
    }
}
