//! The weekly digest, posted exactly once per ISO week however many replicas run: whoever
//! inserts the week's row in `digests` queues the messages in the same transaction; everyone
//! else sees the row and does nothing. The scheduler checks every `digest_check_secs`, so a
//! week whose scheduled time passed while every replica was down is posted when one returns.

use super::client::SlackApi;
use super::content::{self, SlackMessage};
use super::outbox;
use super::schedule::{DigestSchedule, IsoWeek};
use crate::config::Settings;
use crate::startup::AppState;
use crate::store::NewOutboxMessage;
use anyhow::Context;
use chrono::Utc;
use std::time::Duration;
use tokio::sync::watch;

/// Outbox rows for a digest: `digest:<week>:<n>`, replies threaded under the first.
pub fn outbox_rows(week: IsoWeek, channel: &str, messages: &[SlackMessage]) -> Vec<NewOutboxMessage> {
    let key = |i: usize| format!("digest:{week}:{i}");
    messages.iter().enumerate().map(|(i, m)| outbox::row(key(i), channel, m, (i > 0).then(|| key(0)))).collect()
}

/// Claims `week` and queues its digest. `Ok(None)` when the week was already claimed.
pub async fn claim_and_enqueue(state: &AppState, week: IsoWeek, channel: &str, claimed_by: &str) -> anyhow::Result<Option<usize>> {
    let label = week.to_string();
    if state.store.digest_claimed(&label).await? {
        return Ok(None);
    }
    let messages = content::digest_messages(state, week).await.context("Failed to compose the digest")?;
    let rows = outbox_rows(week, channel, &messages);
    let won = state.store.claim_digest(&label, claimed_by, &rows, Utc::now()).await?;
    Ok(won.then_some(rows.len()))
}

/// Who claimed a digest, for the `digests` row.
pub fn replica_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "pushback".into());
    format!("{host}:{}", std::process::id())
}

/// Checks every `every` whether this week's digest is due, until `stop` turns true.
pub async fn run_scheduler(state: AppState, schedule: DigestSchedule, channel: String, every: Duration, mut stop: watch::Receiver<bool>) {
    let me = replica_name();
    tracing::info!(weekday = %schedule.weekday, time = %schedule.time, tz = %schedule.tz, %channel, "weekly digest scheduled");
    while !*stop.borrow() {
        if let Some(week) = schedule.due_week(Utc::now()) {
            match claim_and_enqueue(&state, week, &channel, &me).await {
                Ok(Some(n)) => tracing::info!(%week, messages = n, "weekly digest claimed and queued"),
                Ok(None) => tracing::debug!(%week, "weekly digest already claimed"),
                Err(e) => tracing::warn!(%week, error = format!("{e:#}"), "weekly digest not queued; will try again"),
            }
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Output of `pushback digest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DigestFormat {
    Md,
    Json,
}

/// `pushback digest [--week W] [--format md|json] [--send]`: prints the digest, or claims
/// the week and posts it (refused when the week was already posted).
pub async fn command(settings: Settings, week: Option<IsoWeek>, format: DigestFormat, send: bool) -> anyhow::Result<()> {
    let store = crate::cli::open_store(&settings).await?;
    let classifier = crate::cli::load_classifier(&settings, &store).await?;
    let (state, writer_task) = AppState::new(store.clone(), classifier, settings);
    let result = digest(&state, week, format, send).await;
    drop(state);
    let _ = writer_task.await;
    result
}

async fn digest(state: &AppState, week: Option<IsoWeek>, format: DigestFormat, send: bool) -> anyhow::Result<()> {
    let slack = &state.settings.slack;
    let week = week.unwrap_or_else(|| slack.schedule().unwrap_or_default().week_of(Utc::now()));
    if !send {
        let messages = content::digest_messages(state, week).await?;
        match format {
            DigestFormat::Md => print!("{}", content::to_markdown(&messages)),
            DigestFormat::Json => {
                println!("{}", serde_json::to_string_pretty(&serde_json::json!({"week": week.to_string(), "messages": messages}))?)
            }
        }
        return Ok(());
    }
    let channel = slack.channel().context("--send needs a digest channel; set PUSHBACK_SLACK__DIGEST_CHANNEL")?;
    let api = SlackApi::new(slack)?;
    anyhow::ensure!(api.can_post(), "--send needs a bot token; set PUSHBACK_SLACK__BOT_TOKEN");
    let Some(n) = claim_and_enqueue(state, week, channel, &format!("cli:{}", replica_name())).await? else {
        anyhow::bail!("the digest for {week} was already posted (or is being posted); it is sent at most once per week");
    };
    let prefix = format!("digest:{week}:");
    outbox::drain(&state.store, &api, &prefix, slack.max_attempts, Duration::from_secs(300)).await?;
    let rows = state.store.outbox_rows(&prefix).await?;
    for r in &rows {
        println!(
            "{} -> {} ({} attempts){}",
            r.dedupe_key,
            r.status,
            r.attempts,
            r.last_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default()
        );
    }
    let sent = rows.iter().filter(|r| r.status == "sent").count();
    anyhow::ensure!(sent == n, "{} of {n} digest messages are not posted yet; a running `pushback serve` keeps retrying them", n - sent);
    println!("digest {week} posted to {channel} ({n} messages)");
    Ok(())
}
