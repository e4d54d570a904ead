//! Delivery of queued Slack messages. Each pass claims due rows (a lease in the database, so
//! replicas never post the same row at once), posts them with chat.postMessage and records
//! the outcome: sent, retried later (backoff, Retry-After honoured), or failed for good.
//! A crash mid-post leaves the row leased; it is posted again once the lease expires, so
//! delivery is at least once, never lost.

use super::blocks::SlackMessage;
use super::client::{PackFile, SendError, SlackApi, backoff};
use crate::alerts::ChurnAlert;
use crate::store::{NewOutboxMessage, OutboxMessage, Store};
use chrono::{Duration as ChronoDuration, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// Slack errors that say the channel itself is wrong: recorded once per channel (shown by
/// `/pushback topics`) rather than logged on every message.
const CHANNEL_ERRORS: &[&str] = &["channel_not_found", "not_in_channel", "is_archived"];

/// What a row holds: a message ready to post, or an alert rendered from the store when sent.
#[derive(Deserialize)]
#[serde(untagged)]
enum Payload {
    Alert {
        churn_alert: ChurnAlert,
    },
    /// Replaces the message posted under `update_of` (chat.update).
    Update {
        update_of: String,
        message: SlackMessage,
    },
    Message(SlackMessage),
}

/// A row that replaces the message queued under `update_of` with `message` (chat.update).
pub fn update_row(dedupe_key: String, channel: &str, update_of: &str, message: &SlackMessage) -> NewOutboxMessage {
    NewOutboxMessage {
        dedupe_key,
        channel: channel.to_string(),
        payload: serde_json::json!({"update_of": update_of, "message": message}).to_string(),
        thread_of: None,
    }
}

/// How long a claimed row stays with its sender: well above one call's timeout.
const LEASE_SECS: i64 = 120;
/// Rows claimed per pass.
const BATCH: i64 = 10;
/// A thread reply waits this long for its first message to be posted.
const THREAD_WAIT_SECS: i64 = 2;

/// A row that posts `message` to `channel` (as a thread reply to `thread_of`, when given).
pub fn row(dedupe_key: String, channel: &str, message: &SlackMessage, thread_of: Option<String>) -> NewOutboxMessage {
    NewOutboxMessage {
        dedupe_key,
        channel: channel.to_string(),
        payload: serde_json::to_string(message).expect("a SlackMessage serialises"),
        thread_of,
    }
}

/// One pass: claims due rows and delivers them in order. Returns how many were handled.
pub async fn deliver_due(store: &Store, api: &SlackApi, max_attempts: i64) -> anyhow::Result<usize> {
    deliver_due_prefix(store, api, max_attempts, "").await
}

/// `deliver_due` for the rows whose key starts with `prefix` only. Each channel's rows go in
/// order (a thread reply after its first message), channels side by side: a channel Slack paces
/// (about one post a second) does not hold up alerts to the others.
async fn deliver_due_prefix(store: &Store, api: &SlackApi, max_attempts: i64, prefix: &str) -> anyhow::Result<usize> {
    let now = Utc::now();
    let started = std::time::Instant::now();
    let claimed = store.outbox_claim_prefix(prefix, now, now + ChronoDuration::seconds(LEASE_SECS), BATCH).await?;
    let n = claimed.len();
    if n > 0 {
        tracing::debug!(rows = n, claim_ms = ms(started.elapsed()), "claimed outbox rows");
    }
    let mut by_channel: Vec<(String, Vec<OutboxMessage>)> = Vec::new();
    for m in claimed {
        match by_channel.iter_mut().find(|(c, _)| *c == m.channel) {
            Some((_, rows)) => rows.push(m),
            None => by_channel.push((m.channel.clone(), vec![m])),
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (_, rows) in by_channel {
        let (store, api) = (store.clone(), api.clone());
        tasks.spawn(async move {
            for m in &rows {
                deliver(&store, &api, m, max_attempts).await?;
            }
            anyhow::Ok(())
        });
    }
    // Every channel finishes its rows before an error is reported: none is left mid-post.
    let mut first_error = None;
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done.map_err(anyhow::Error::from).and_then(|r| r) {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(n), Err)
}

/// The message a row posts, and the key of the message it replaces (chat.update) if any;
/// `None` (the row marked failed) when it cannot be read or its alert's item is gone.
async fn message_of(store: &Store, m: &OutboxMessage) -> anyhow::Result<Option<(SlackMessage, Option<String>)>> {
    let why = match serde_json::from_str(&m.payload) {
        Ok(Payload::Message(message)) => return Ok(Some((message, None))),
        Ok(Payload::Update { update_of, message }) => return Ok(Some((message, Some(update_of)))),
        Ok(Payload::Alert { churn_alert }) => match super::alerts::churn_message(store, &churn_alert).await? {
            Some(message) => return Ok(Some((message, None))),
            None => {
                tracing::warn!(key = %m.dedupe_key, "the churn note of an alert is gone; not posting it");
                "the item no longer exists".to_string()
            }
        },
        Err(e) => {
            tracing::error!(key = %m.dedupe_key, error = %e, "outbox payload is not a Slack message; marked failed");
            format!("unreadable payload: {e}")
        }
    };
    store.outbox_failed(m, &why, Utc::now()).await?;
    Ok(None)
}

async fn deliver(store: &Store, api: &SlackApi, m: &OutboxMessage, max_attempts: i64) -> anyhow::Result<()> {
    if let Ok(FilePost { file_post }) = serde_json::from_str(&m.payload) {
        return record(store, m, deliver_file(api, &m.channel, &file_post).await, max_attempts).await;
    }
    let started = std::time::Instant::now();
    let Some((message, update_of)) = message_of(store, m).await? else { return Ok(()) };
    let rendered = started.elapsed();
    let mut parent_row = None;
    if let Some(parent) = update_of.as_ref().or(m.thread_of.as_ref()) {
        match store.outbox_row(parent).await? {
            Some(p) if p.status == "sent" => parent_row = Some(p),
            Some(p) if p.status != "failed" && m.attempts < max_attempts => {
                let next = Utc::now() + ChronoDuration::seconds(THREAD_WAIT_SECS);
                store.outbox_retry(m, next, "waiting for the first message to be posted", Utc::now()).await?;
                return Ok(());
            }
            _ if update_of.is_some() => {
                store.outbox_failed(m, "the message to update was never posted", Utc::now()).await?;
                return Ok(());
            }
            // The first message failed or is gone: post on its own rather than not at all.
            _ => {}
        }
    }
    let result = match (&update_of, parent_row) {
        (Some(_), Some(p)) => {
            let (channel, ts) = (p.slack_channel.unwrap_or(p.channel), p.slack_ts.unwrap_or_default());
            api.update_message(&channel, &ts, &message).await.map(|()| (channel, ts))
        }
        (_, parent) => api.post(&m.channel, &message, parent.and_then(|p| p.slack_ts).as_deref()).await,
    };
    let (posted, recording) = (started.elapsed(), std::time::Instant::now());
    record(store, m, result, max_attempts).await?;
    tracing::debug!(key = %m.dedupe_key, render_ms = ms(rendered), slack_ms = ms(posted - rendered), record_ms = ms(recording.elapsed()), "delivered");
    Ok(())
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// Records what Slack said about a row.
async fn record(store: &Store, m: &OutboxMessage, result: Result<(String, String), SendError>, max_attempts: i64) -> anyhow::Result<()> {
    let now = Utc::now();
    match result {
        Ok((channel, ts)) => {
            tracing::info!(key = %m.dedupe_key, channel = %m.channel, attempts = m.attempts, "posted to Slack");
            store.outbox_sent(m, Some(&ts), Some(&channel), now).await?;
            if store.clear_channel_problem(&m.channel).await? {
                tracing::info!(channel = %m.channel, "Slack accepts posts to this channel again");
            }
        }
        Err(SendError::Permanent(error)) if CHANNEL_ERRORS.contains(&error.as_str()) => {
            if store.record_channel_problem(&m.channel, &error, now).await? {
                tracing::error!(channel = %m.channel, %error,
                    "Slack refuses posts to this channel; its messages fail until the bot is invited or the channel is fixed (rules.toml or /pushback subscribe)");
            } else {
                tracing::debug!(key = %m.dedupe_key, channel = %m.channel, %error, "channel still refused");
            }
            store.outbox_failed(m, &error, now).await?;
        }
        Err(SendError::Permanent(error)) => {
            tracing::error!(key = %m.dedupe_key, channel = %m.channel, %error, "Slack refused the message; not retrying");
            store.outbox_failed(m, &error, now).await?;
        }
        Err(SendError::Retry { reason, .. }) if m.attempts >= max_attempts => {
            tracing::error!(key = %m.dedupe_key, channel = %m.channel, attempts = m.attempts, %reason, "giving up on a Slack message");
            store
                .outbox_failed(m, &format!("gave up after {}: {reason}", crate::text::plural(m.attempts.unsigned_abs(), "attempt")), now)
                .await?;
        }
        Err(SendError::Retry { reason, after }) => {
            let wait = backoff(m.attempts, after);
            tracing::warn!(key = %m.dedupe_key, attempts = m.attempts, %reason, retry_in_secs = wait.as_secs(), "Slack post failed; will retry");
            let next = now + ChronoDuration::from_std(wait).unwrap_or_else(|_| ChronoDuration::seconds(60));
            store.outbox_retry(m, next, &reason, now).await?;
        }
    }
    Ok(())
}

/// Delivers until `stop` turns true, polling every `poll` when there is nothing due, or at
/// once when `wake` is rung (a webhook queued an alert).
pub async fn run(store: Store, api: SlackApi, max_attempts: i64, poll: Duration, wake: Arc<Notify>, mut stop: watch::Receiver<bool>) {
    tracing::info!("Slack outbox delivery started");
    while !*stop.borrow() {
        let handled = match deliver_due(&store, &api, max_attempts).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "Slack outbox pass failed");
                0
            }
        };
        if handled == 0 {
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = wake.notified() => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// Delivers the rows under `prefix` (and no others) until none is pending or `timeout` passes
/// (for `pushback digest --send` and `spikes --send`, which run without the server's delivery
/// task). A running server may deliver some of them meanwhile: each row is leased to one
/// sender at a time, so it is posted once either way.
pub async fn drain(store: &Store, api: &SlackApi, prefix: &str, max_attempts: i64, timeout: Duration) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let handled = deliver_due_prefix(store, api, max_attempts, prefix).await?;
        let open = store.outbox_rows(prefix).await?.iter().filter(|r| r.status == "pending" || r.status == "sending").count();
        if open == 0 || tokio::time::Instant::now() >= deadline {
            return Ok(());
        }
        if handled == 0 {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// An outbox row that uploads a file (the monthly review's post): the file and its comment, fixed when the row is queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilePost {
    pub file_post: PostedFile,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostedFile {
    pub filename: String,
    pub title: String,
    pub html: String,
    pub comment: String,
}

/// Uploads a queued file post to `channel` (the outbox's delivery of a `FilePost` row).
pub async fn deliver_file(api: &SlackApi, channel: &str, post: &PostedFile) -> Result<(String, String), SendError> {
    let file = [PackFile {
        filename: post.filename.clone(),
        title: post.title.clone(),
        content_type: "text/html".into(),
        bytes: post.html.clone().into_bytes(),
    }];
    api.upload_files(channel, &file, &post.comment).await?;
    Ok((channel.to_string(), String::new()))
}
