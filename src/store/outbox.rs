//! The Slack outbox: a durable queue of messages to post, claimed with a lease so several
//! replicas never post the same row at once, and retried with backoff.

use super::sql::BeginWrite;
use super::{Store, StoreResult, from_unix};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A message to queue. `dedupe_key` is unique: queuing the same key twice keeps the first.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutboxMessage {
    pub dedupe_key: String,
    pub channel: String,
    /// `SlackMessage` JSON.
    pub payload: String,
    /// Post as a thread reply to the message queued under this key.
    pub thread_of: Option<String>,
}

/// A claimed message. `attempts` (this claim included) fences the lease: updates name it,
/// so a sender whose lease was taken over cannot overwrite the new owner's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: i64,
    pub dedupe_key: String,
    pub channel: String,
    pub payload: String,
    pub thread_of: Option<String>,
    pub attempts: i64,
}

/// An outbox row as it stands, for tests and operators.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub id: i64,
    pub dedupe_key: String,
    pub channel: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub slack_ts: Option<String>,
    /// The channel ID Slack answered with (chat.update needs an ID).
    pub slack_channel: Option<String>,
    /// When a pending row is tried next.
    pub next_attempt_at: DateTime<Utc>,
    /// Until when a sending row is leased to its sender.
    pub lease_until: Option<DateTime<Utc>>,
}

/// A `LIKE` pattern (with `ESCAPE '\'`) for keys starting with `prefix`, its `%` and `_` literal.
fn like_prefix(prefix: &str) -> String {
    format!("{}%", prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

pub(super) const ENQUEUE: &str = "INSERT INTO slack_outbox (dedupe_key, channel, payload, thread_of, status, attempts, next_attempt_at, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5) ON CONFLICT (dedupe_key) DO NOTHING";

const DUE: &str = "((status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1))";

/// Keys matching `$4` (every key with `%`).
const MATCHING: &str = "dedupe_key LIKE $4 ESCAPE '\\'";

fn claim_sql(skip_locked: bool) -> String {
    // The outer condition repeats the inner one: PostgreSQL re-checks it on a row another
    // replica changed meanwhile, so a row is never claimed twice.
    format!(
        "UPDATE slack_outbox SET status = 'sending', attempts = attempts + 1, lease_until = $2, updated_at = $1 \
         WHERE id IN (SELECT id FROM slack_outbox WHERE {DUE} AND {MATCHING} ORDER BY id LIMIT $3{}) AND {DUE} \
         RETURNING id, dedupe_key, channel, payload, thread_of, attempts",
        if skip_locked { " FOR UPDATE SKIP LOCKED" } else { "" }
    )
}

impl Store {
    /// Queues messages; returns how many were new.
    pub async fn outbox_enqueue(&self, messages: &[NewOutboxMessage], now: DateTime<Utc>) -> StoreResult<u64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            let mut added = 0;
            for m in messages {
                added += sqlx::query(ENQUEUE).bind(&m.dedupe_key).bind(&m.channel).bind(&m.payload).bind(m.thread_of.as_deref())
                    .bind(now.timestamp()).execute(&mut *tx).await?.rows_affected();
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Takes up to `limit` due messages (pending and due, or sending with an expired lease)
    /// and leases them until `lease_until`.
    pub async fn outbox_claim(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        self.outbox_claim_prefix("", now, lease_until, limit).await
    }

    /// `outbox_claim` of the rows whose key starts with `prefix` (`pushback digest --send`
    /// delivers its own week and nothing else).
    pub async fn outbox_claim_prefix(
        &self,
        prefix: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxMessage>> {
        let sql = claim_sql(matches!(self, Store::Postgres(_)));
        let _turn = self.write_turn().await;
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(now.timestamp()).bind(lease_until.timestamp()).bind(limit).bind(like_prefix(prefix))
                .fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(OutboxMessage {
                    id: r.try_get("id")?,
                    dedupe_key: r.try_get("dedupe_key")?,
                    channel: r.try_get("channel")?,
                    payload: r.try_get("payload")?,
                    thread_of: r.try_get("thread_of")?,
                    attempts: r.try_get("attempts")?,
                });
            }
            out.sort_by_key(|m| m.id);
            Ok(out)
        })
    }

    /// Records Slack's acceptance. False when the lease was lost meanwhile.
    pub async fn outbox_sent(
        &self,
        m: &OutboxMessage,
        slack_ts: Option<&str>,
        slack_channel: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _turn = self.write_turn().await;
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET status = 'sent', slack_ts = $3, last_error = NULL, lease_until = NULL, updated_at = $4, \
                                    slack_channel = $5 WHERE id = $1 AND attempts = $2 AND status = 'sending'")
                .bind(m.id).bind(m.attempts).bind(slack_ts).bind(now.timestamp()).bind(slack_channel).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Puts a message back to be tried again at `next_attempt_at`.
    pub async fn outbox_retry(
        &self,
        m: &OutboxMessage,
        next_attempt_at: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _turn = self.write_turn().await;
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET status = 'pending', next_attempt_at = $3, last_error = $4, lease_until = NULL, updated_at = $5 \
                                    WHERE id = $1 AND attempts = $2 AND status = 'sending'")
                .bind(m.id).bind(m.attempts).bind(next_attempt_at.timestamp()).bind(error).bind(now.timestamp()).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Gives up on a message (a permanent Slack error, or out of attempts).
    pub async fn outbox_failed(&self, m: &OutboxMessage, error: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let _turn = self.write_turn().await;
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET status = 'failed', last_error = $3, lease_until = NULL, updated_at = $4 \
                                    WHERE id = $1 AND attempts = $2 AND status = 'sending'")
                .bind(m.id).bind(m.attempts).bind(error).bind(now.timestamp()).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Makes the pending rows under `prefix` due now (a person asked for them; the next answer's
    /// backoff and Retry-After still apply). Returns how many were waiting for a later try.
    pub async fn outbox_due_now(&self, prefix: &str, now: DateTime<Utc>) -> StoreResult<u64> {
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET next_attempt_at = $2 WHERE dedupe_key LIKE $1 ESCAPE '\\' \
                                    AND status = 'pending' AND next_attempt_at > $2")
                .bind(like_prefix(prefix)).bind(now.timestamp()).execute(pool).await?;
            Ok(done.rows_affected())
        })
    }

    /// Puts the failed rows under `prefix` back in the queue with fresh attempts (`--force`).
    /// Their last error stays until the next answer replaces it. Returns how many.
    pub async fn outbox_requeue_failed(&self, prefix: &str, now: DateTime<Utc>) -> StoreResult<u64> {
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, lease_until = NULL, \
                                    updated_at = $2 WHERE dedupe_key LIKE $1 ESCAPE '\\' AND status = 'failed'")
                .bind(like_prefix(prefix)).bind(now.timestamp()).execute(pool).await?;
            Ok(done.rows_affected())
        })
    }

    /// The row queued under `dedupe_key`, if any.
    pub async fn outbox_row(&self, dedupe_key: &str) -> StoreResult<Option<OutboxRow>> {
        Ok(self.outbox_rows_where("dedupe_key = $1", dedupe_key).await?.pop())
    }

    /// Rows whose key starts with `prefix`, oldest first.
    pub async fn outbox_rows(&self, prefix: &str) -> StoreResult<Vec<OutboxRow>> {
        self.outbox_rows_where("dedupe_key LIKE $1 ESCAPE '\\'", &like_prefix(prefix)).await
    }

    async fn outbox_rows_where(&self, condition: &str, value: &str) -> StoreResult<Vec<OutboxRow>> {
        let sql = format!(
            "SELECT id, dedupe_key, channel, status, attempts, last_error, slack_ts, slack_channel, next_attempt_at, lease_until \
             FROM slack_outbox WHERE {condition} ORDER BY id"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(value).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(OutboxRow {
                    id: r.try_get("id")?,
                    dedupe_key: r.try_get("dedupe_key")?,
                    channel: r.try_get("channel")?,
                    status: r.try_get("status")?,
                    attempts: r.try_get("attempts")?,
                    last_error: r.try_get("last_error")?,
                    slack_ts: r.try_get("slack_ts")?,
                    slack_channel: r.try_get("slack_channel")?,
                    next_attempt_at: from_unix(r.try_get("next_attempt_at")?),
                    lease_until: r.try_get::<Option<i64>, _>("lease_until")?.map(from_unix),
                });
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_prefix_matches_its_underscores_and_percents_literally() {
        assert_eq!(super::like_prefix("churn:stripe:sub_1:"), "churn:stripe:sub\\_1:%");
        assert_eq!(super::like_prefix("100%\\"), "100\\%\\\\%");
        assert_eq!(super::like_prefix(""), "%");
    }
}
