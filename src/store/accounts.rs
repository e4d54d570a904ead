//! Customer accounts: name, plan and ARR, written from webhooks (a bare reference or a full
//! record) and from `pushback accounts import`.

use super::sql::BeginWrite;
use super::sql::{multi_row, statement_chunks};
use super::{Store, StoreResult};
use crate::domain::{Account, StoredItem};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// The account rows a batch writes: full records (merged per id, later values winning where
/// set) and bare references (id and a name, only where no full record is in the batch), each
/// sorted by id so concurrent writers lock rows in one order.
pub(super) fn account_writes(items: &[StoredItem]) -> (Vec<Account>, Vec<(&str, Option<&str>)>) {
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

pub(super) const UPSERT_ACCOUNTS_HEAD: &str = "INSERT INTO accounts (account_id, name, plan, arr_cents, updated_at) VALUES ";

pub(super) const UPSERT_ACCOUNTS_TAIL: &str = " ON CONFLICT (account_id) DO UPDATE SET name = COALESCE(excluded.name, accounts.name), \
     plan = COALESCE(excluded.plan, accounts.plan), arr_cents = COALESCE(excluded.arr_cents, accounts.arr_cents), \
     updated_at = excluded.updated_at";

pub(super) const TOUCH_ACCOUNTS_HEAD: &str = "INSERT INTO accounts (account_id, name, updated_at) VALUES ";

pub(super) const TOUCH_ACCOUNTS_TAIL: &str = " ON CONFLICT (account_id) DO UPDATE SET name = COALESCE(accounts.name, excluded.name)";

impl Store {
    /// Inserts or updates accounts (name, plan, ARR) in one transaction.
    pub async fn upsert_accounts(&self, accounts: &[Account], now: DateTime<Utc>) -> StoreResult<u64> {
        let pg = matches!(self, Store::Postgres(_));
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
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
}
