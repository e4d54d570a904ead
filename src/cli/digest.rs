//! `pushback digest`: print the weekly digest, or claim the week and post it.

use crate::app::{AppState, load_classifier, open_store};
use crate::config::Settings;
use crate::digest::schedule::replica_name;
use crate::domain::IsoWeek;
use crate::slack::blocks::to_markdown;
use crate::slack::client::SlackApi;
use crate::slack::digest::{claim_and_enqueue, digest_messages};
use crate::slack::outbox;
use anyhow::Context;
use chrono::Utc;
use std::time::Duration;

/// Output of `pushback digest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DigestFormat {
    Md,
    Json,
}

/// `pushback digest [--week W] [--format md|json] [--send]`: prints the digest, or claims
/// the week and posts it (refused when the week was already posted).
pub async fn command(settings: Settings, week: Option<IsoWeek>, format: DigestFormat, send: bool) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let classifier = load_classifier(&settings, &store).await?;
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
        let messages = digest_messages(state, week).await?;
        match format {
            DigestFormat::Md => print!("{}", to_markdown(&messages)),
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
