//! `slack_claims`: which replica handles a Socket Mode envelope. Slack may deliver the same
//! envelope (or the same event in a new envelope) to any connection of any replica; the insert
//! of its key is the claim, so a button's side effect happens once. Keys expire after a TTL.

use super::sql::BeginWrite;
use super::{Store, StoreResult};
use chrono::{DateTime, Utc};

impl Store {
    /// Claims every key in `keys` for `by`, or none: true when this caller is the first (or
    /// the earlier claims are older than `ttl_secs`), false when any key is already claimed.
    pub async fn claim_slack_keys(&self, keys: &[String], by: &str, ttl_secs: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let expired_before = now.timestamp() - ttl_secs;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            for key in keys {
                let won: Option<String> = sqlx::query_scalar(
                    "INSERT INTO slack_claims (claim_key, claimed_at, claimed_by) VALUES ($1, $2, $3) \
                     ON CONFLICT (claim_key) DO UPDATE SET claimed_at = excluded.claimed_at, claimed_by = excluded.claimed_by \
                     WHERE slack_claims.claimed_at < $4 RETURNING claim_key")
                    .bind(key).bind(now.timestamp()).bind(by).bind(expired_before)
                    .fetch_optional(&mut *tx).await?;
                if won.is_none() {
                    tx.rollback().await?;
                    return Ok(false);
                }
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Deletes claims older than `ttl_secs`; returns how many.
    pub async fn purge_slack_claims(&self, ttl_secs: i64, now: DateTime<Utc>) -> StoreResult<u64> {
        on_pool!(self, pool => {
            let done = sqlx::query("DELETE FROM slack_claims WHERE claimed_at < $1").bind(now.timestamp() - ttl_secs).execute(pool).await?;
            Ok(done.rows_affected())
        })
    }

    /// Who claimed `key`, if anyone (for tests and `pushback` diagnostics).
    pub async fn slack_claim(&self, key: &str) -> StoreResult<Option<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT claimed_by FROM slack_claims WHERE claim_key = $1").bind(key).fetch_optional(pool).await?)
        })
    }
}
