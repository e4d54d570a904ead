//! `digests`: one row per ISO week. The row's insert is the claim that makes the weekly
//! digest happen once, and it queues the digest's messages in the same transaction.

use super::outbox::{ENQUEUE, NewOutboxMessage};
use super::sql::BeginWrite;
use super::{Store, StoreResult, from_unix};
use chrono::{DateTime, Utc};

/// A week's claim: when, by whom, and how many messages it queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestClaim {
    pub week: String,
    pub claimed_at: DateTime<Utc>,
    pub claimed_by: String,
    pub messages: i64,
}

impl Store {
    /// The claim of `week`'s digest, if any.
    pub async fn digest_claim(&self, week: &str) -> StoreResult<Option<DigestClaim>> {
        on_pool!(self, pool => {
            let row: Option<(String, i64, String, i64)> =
                sqlx::query_as("SELECT week, claimed_at, claimed_by, messages FROM digests WHERE week = $1").bind(week).fetch_optional(pool).await?;
            Ok(row.map(|(week, at, claimed_by, messages)| DigestClaim { week, claimed_at: from_unix(at), claimed_by, messages }))
        })
    }

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
            let mut tx = pool.begin_write_tx().await?;
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
