//! Slack's tables: the outbox (a durable queue of messages to post, claimed with a lease so
//! several replicas never post the same row at once) and `digests` (one row per ISO week: the
//! row's insert is the claim that makes the weekly digest happen once).

use super::{FEEDBACK_COLUMNS, Store, StoreResult, from_unix};
use crate::domain::{Classification, Feedback, Kind, Source};
use anyhow::Context;
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
}

/// One topic's volume in a window and who it touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TopicTotals {
    pub items: i64,
    pub accounts: i64,
    pub arr_cents: i64,
    pub churn_notes: i64,
}

const ENQUEUE: &str = "INSERT INTO slack_outbox (dedupe_key, channel, payload, thread_of, status, attempts, next_attempt_at, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5) ON CONFLICT (dedupe_key) DO NOTHING";

const DUE: &str = "((status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1))";

fn claim_sql(skip_locked: bool) -> String {
    // The outer condition repeats the inner one: PostgreSQL re-checks it on a row another
    // replica changed meanwhile, so a row is never claimed twice.
    format!(
        "UPDATE slack_outbox SET status = 'sending', attempts = attempts + 1, lease_until = $2, updated_at = $1 \
         WHERE id IN (SELECT id FROM slack_outbox WHERE {DUE} ORDER BY id LIMIT $3{}) AND {DUE} \
         RETURNING id, dedupe_key, channel, payload, thread_of, attempts",
        if skip_locked { " FOR UPDATE SKIP LOCKED" } else { "" }
    )
}

impl Store {
    /// Queues messages; returns how many were new.
    pub async fn outbox_enqueue(&self, messages: &[NewOutboxMessage], now: DateTime<Utc>) -> StoreResult<u64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
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
        let sql = claim_sql(matches!(self, Store::Postgres(_)));
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(now.timestamp()).bind(lease_until.timestamp()).bind(limit).fetch_all(pool).await?;
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
    pub async fn outbox_sent(&self, m: &OutboxMessage, slack_ts: Option<&str>, now: DateTime<Utc>) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET status = 'sent', slack_ts = $3, last_error = NULL, lease_until = NULL, updated_at = $4 \
                                    WHERE id = $1 AND attempts = $2 AND status = 'sending'")
                .bind(m.id).bind(m.attempts).bind(slack_ts).bind(now.timestamp()).execute(pool).await?;
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
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET status = 'pending', next_attempt_at = $3, last_error = $4, lease_until = NULL, updated_at = $5 \
                                    WHERE id = $1 AND attempts = $2 AND status = 'sending'")
                .bind(m.id).bind(m.attempts).bind(next_attempt_at.timestamp()).bind(error).bind(now.timestamp()).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Gives up on a message (a permanent Slack error, or out of attempts).
    pub async fn outbox_failed(&self, m: &OutboxMessage, error: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let done = sqlx::query("UPDATE slack_outbox SET status = 'failed', last_error = $3, lease_until = NULL, updated_at = $4 \
                                    WHERE id = $1 AND attempts = $2 AND status = 'sending'")
                .bind(m.id).bind(m.attempts).bind(error).bind(now.timestamp()).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The row queued under `dedupe_key`, if any.
    pub async fn outbox_row(&self, dedupe_key: &str) -> StoreResult<Option<OutboxRow>> {
        Ok(self.outbox_rows_where("dedupe_key = $1", dedupe_key).await?.pop())
    }

    /// Rows whose key starts with `prefix`, oldest first.
    pub async fn outbox_rows(&self, prefix: &str) -> StoreResult<Vec<OutboxRow>> {
        self.outbox_rows_where("dedupe_key LIKE $1", &format!("{}%", prefix.replace('%', ""))).await
    }

    async fn outbox_rows_where(&self, condition: &str, value: &str) -> StoreResult<Vec<OutboxRow>> {
        let sql = format!(
            "SELECT id, dedupe_key, channel, status, attempts, last_error, slack_ts FROM slack_outbox WHERE {condition} ORDER BY id"
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
                });
            }
            Ok(out)
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

    /// The newest items of `topic` created in `[from, to)`.
    pub async fn recent_topic_items(&self, topic: &str, from: DateTime<Utc>, to: DateTime<Utc>, limit: i64) -> StoreResult<Vec<Feedback>> {
        on_pool!(self, pool => {
            let sql = format!("SELECT {FEEDBACK_COLUMNS} FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
                               WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3 ORDER BY t.created_at DESC, f.id DESC LIMIT $4");
            let rows = sqlx::query(&sql)
                .bind(topic).bind(from.timestamp()).bind(to.timestamp()).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(feedback_from_row!(row));
            }
            Ok(out)
        })
    }

    /// Items, distinct accounts, their ARR and churn notes of `topic` in `[from, to)`.
    pub async fn topic_totals(&self, topic: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<TopicTotals> {
        const ITEMS: &str = "SELECT f.account_id, f.kind FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
                             WHERE t.topic = $1 AND t.created_at >= $2 AND t.created_at < $3";
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT COUNT(*) AS items, COUNT(DISTINCT account_id) AS accounts, \
                                             SUM(CASE WHEN kind = 'churn_note' THEN 1 ELSE 0 END) AS churn FROM ({ITEMS}) i"))
                .bind(topic).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            let arr: i64 = sqlx::query_scalar(&format!("SELECT CAST(COALESCE(SUM(arr_cents), 0) AS BIGINT) FROM accounts \
                                                         WHERE account_id IN (SELECT account_id FROM ({ITEMS}) i)"))
                .bind(topic).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            Ok(TopicTotals {
                items: row.try_get("items")?,
                accounts: row.try_get("accounts")?,
                arr_cents: arr,
                churn_notes: row.try_get::<Option<i64>, _>("churn")?.unwrap_or(0),
            })
        })
    }
}
