//! `/pushback sources`: where each pulled source stands, built from the same status value
//! `pushback sync --status` prints (`app::sync_status`): configured or not, last success, lag,
//! items, the last error and what to do, and the Stripe accounts that could not be matched.

use super::blocks::{SlackMessage, context, escape, header, section, sections_of_lines};
use crate::app::AppState;
use crate::app::sync_status::{self, SourceStatus, SyncStatus, duration, when};
use crate::text::{plural, thousands};
use chrono::{DateTime, Utc};

fn source_lines(s: &SourceStatus, now: DateTime<Utc>) -> String {
    let mut lines = Vec::new();
    if s.configured {
        let state = if s.syncing.is_some() { " (syncing now)" } else { "" };
        lines.push(format!("*{}*: configured{state}", s.source));
        let success = s.last_success.map_or_else(|| "never".to_string(), |t| when(t, now));
        let lag = s.lag_seconds.map(|l| format!("; {} behind", duration(l))).unwrap_or_default();
        lines.push(format!("last success {success}{lag}"));
        lines.push(format!(
            "{} pulled ({} inserted, {} updated, {} unchanged)",
            plural(s.items.max(0) as u64, "item"),
            thousands(s.inserted.max(0) as u64),
            thousands(s.updated.max(0) as u64),
            thousands(s.unchanged.max(0) as u64)
        ));
        if let Some(e) = &s.last_error {
            lines.push(format!(":warning: last error: {}", escape(e)));
        }
    } else {
        lines.push(format!("*{}*: not configured", s.source));
    }
    if let Some(advice) = &s.advice {
        lines.push(format!("_To do:_ {}", escape(advice)));
    }
    lines.join("\n")
}

/// The message for a status value.
pub fn compose(status: &SyncStatus, now: DateTime<Utc>) -> SlackMessage {
    let mut blocks = vec![header("Sources pulled from the vendors' APIs")];
    let lines: Vec<String> = status.sources.iter().map(|s| source_lines(s, now)).collect();
    blocks.extend(sections_of_lines(&lines));
    if let Some(a) = &status.accounts {
        let mut text = format!(
            "*Accounts from Stripe*: {} of {} matched to support accounts ({} ARR)",
            a.matched,
            plural(a.customers as u64, "customer"),
            crate::domain::ArrCents(a.matched_arr_cents).display_dollars()
        );
        let unmatched = a.unmatched_customers.len() + a.unmatched_accounts.len();
        if unmatched > 0 {
            text.push_str(&format!(
                "; {} could not be matched: `pushback accounts unmatched` lists them",
                plural(unmatched as u64, "customer or account")
            ));
        }
        blocks.push(section(&text));
    }
    blocks.push(context("The same as `pushback sync --status`; `pushback sync <source> --once` syncs one now."));
    let configured = status.sources.iter().filter(|s| s.configured).count();
    let failing = status.sources.iter().filter(|s| s.last_error.is_some()).count();
    let text = format!("Sources: {configured} configured, {failing} with an error");
    SlackMessage { text, blocks }
}

/// `/pushback sources`.
pub async fn sources_message(state: &AppState) -> anyhow::Result<SlackMessage> {
    let now = Utc::now();
    let status = sync_status::load(&state.store, &state.settings, now).await?;
    Ok(compose(&status, now))
}
