//! `pushback spikes [--send] [--format json]`: what would alert now, or alert it.

use crate::app::{AppState, load_classifier, open_store};
use crate::config::Settings;
use crate::domain::ArrCents;
use crate::slack::client::SlackApi;
use crate::slack::outbox;
use crate::slack::spikes::{Checked, check};
use crate::stats::format_p;
use crate::text::plural;
use chrono::Utc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SpikesFormat {
    Text,
    Json,
}

pub async fn command(settings: Settings, format: SpikesFormat, send: bool) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let classifier = load_classifier(&settings, &store).await?;
    let (state, writer_task) = AppState::new(store.clone(), classifier, settings);
    let result = spikes(&state, format, send).await;
    drop(state);
    let _ = writer_task.await;
    result
}

async fn spikes(state: &AppState, format: SpikesFormat, send: bool) -> anyhow::Result<()> {
    let api = if send {
        let api = SlackApi::new(&state.settings.slack)?;
        anyhow::ensure!(api.can_post(), "--send needs a bot token; set PUSHBACK_SLACK__BOT_TOKEN");
        Some(api)
    } else {
        None
    };
    let found = check(state, Utc::now(), send).await?;
    match format {
        SpikesFormat::Json => println!("{}", serde_json::to_string_pretty(&serde_json::json!({"spikes": found}))?),
        SpikesFormat::Text => print!("{}", describe(&found, send)),
    }
    if let Some(api) = api {
        outbox::drain(&state.store, &api, "spike:", state.settings.slack.max_attempts, Duration::from_secs(120)).await?;
    }
    Ok(())
}

fn describe(found: &[Checked], sent: bool) -> String {
    if found.is_empty() {
        return "No spikes: no topic or category is rising above its thresholds.\n".into();
    }
    let mut out = String::new();
    for c in found {
        let s = &c.spike;
        let window = if s.window_days == 1 { "24 hours".to_string() } else { format!("{} days", s.window_days) };
        let to = if c.channels.is_empty() { "no channel (set PUSHBACK_ALERTS__CHANNEL)".to_string() } else { c.channels.join(", ") };
        let verb = match (c.action, sent) {
            ("new", false) => "would alert",
            ("new", true) => "alerted",
            (_, false) => "would update its alert in",
            (_, true) => "updated its alert in",
        };
        let arr = if c.reach.arr_cents > 0 { format!(", {} ARR", ArrCents(c.reach.arr_cents).display_dollars()) } else { String::new() };
        out.push_str(&format!(
            "{}: {} in the last {window} vs {} in the 28 days before, {:.1}x the usual share ({}), from {}{arr}; {verb} {to}\n",
            s.label,
            plural(s.items, "item"),
            plural(s.baseline_items, "item"),
            s.ratio,
            format_p(s.p_value),
            plural(u64::try_from(c.reach.accounts).unwrap_or(0), "account"),
        ));
        for q in &c.reach.quotes {
            out.push_str(&format!("  \"{}\" ({})\n", q.text, q.reference));
        }
    }
    out
}
