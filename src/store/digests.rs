//! `digests`: one row per ISO week. The row's insert is the claim that makes the weekly
//! digest happen once, and it queues the digest's messages in the same transaction.

use super::outbox::{ENQUEUE, NewOutboxMessage};
use super::{Store, StoreResult};
use chrono::{DateTime, Utc};

impl Store {
    /// Whether this week's digest has been claimed (by any replica or by hand).
    pub async fn digest_claimed(&self, week: &str) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let found: Option<String> = sqlx::query_scalar("SELECT week FROM digests WHERE week = $1").bind(week).fetch_optional(pool).await?;
            Ok(found.is_some())
        })
    }

    /// Claims `week`'s digest and queues its messages in one transaction. Only the caller
    /// whose insert created the row gets `true`; everyone else queues nothing.
    pub async fn claim_digest(&self, week: &str, claimed_by: &str, messages: &[NewOutboxMessage], now: DateTime<Utc>) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let won: Option<String> = sqlx::query_scalar(
                "INSERT INTO digests (week, claimed_at, claimed_by, messages) VALUES ($1, $2, $3, $4) ON CONFLICT (week) DO NOTHING RETURNING week")
                .bind(week).bind(now.timestamp()).bind(claimed_by).bind(messages.len() as i64)
                .fetch_optional(&mut *tx).await?;
            if won.is_none() {
                return Ok(false);
            }
            for m in messages {
                sqlx::query(ENQUEUE).bind(&m.dedupe_key).bind(&m.channel).bind(&m.payload).bind(m.thread_of.as_deref())
                    .bind(now.timestamp()).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }
}
