//! Spike alerts in Slack: one alert per rise, posted to the topic's owners (a category's to
//! the fallback channel) through the outbox; while the rise goes on each check updates that
//! message (chat.update) and replies in its thread when the rise doubles again. One replica
//! checks per slot (`spike_checks` claim); the state of each rise is in the database, shared
//! with `pushback spikes --send`.

use super::blocks::{ACTION_EVIDENCE, PackRef, SlackMessage, button, context, escape, header, section};
use super::outbox;
use crate::alerts::Owners;
use crate::alerts::spikes::{BASELINE_DAYS, Plan, Spike, find, plan};
use crate::app::AppState;
use crate::digest::schedule::replica_name;
use crate::stats::format_p;
use crate::store::{NewOutboxMessage, SpikeState};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::time::Duration;
use tokio::sync::watch;

/// A spike found now and what was (or would be) done about it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Checked {
    #[serde(flatten)]
    pub spike: Spike,
    /// `new` (an alert), `update` (of the current rise's alert) or `update+reply`.
    pub action: &'static str,
    pub channels: Vec<String>,
}

fn window(days: i64) -> String {
    if days == 1 { "the last 24 hours".into() } else { format!("the last {days} days") }
}

pub fn compose_spike(s: &Spike, checks: i64, now: DateTime<Utc>) -> SlackMessage {
    let what = format!("{}: {:.1}× the usual share of feedback in {}", s.label, s.ratio, window(s.window_days));
    let mut blocks = vec![
        header(&format!("Spike: {what}")),
        section(&format!(
            "*{}* in {} against *{}* in the {BASELINE_DAYS} days before, as a share of all feedback: *{:.1}×* ({}).",
            crate::text::plural(s.items, "item"),
            window(s.window_days),
            s.baseline_items,
            s.ratio,
            format_p(s.p_value)
        )),
        context(&format!("Last checked {} · {} · exact test as in the evidence packs", now.format("%-d %b %H:%M UTC"), escape(&s.subject))),
    ];
    if checks > 1 {
        blocks
            .insert(2, context(&format!("Still rising: updated {} since the first alert", crate::text::plural(checks as u64 - 1, "time"))));
    }
    if let Some(topic) = &s.topic {
        let days = u32::try_from(s.window_days.max(7)).unwrap_or(7);
        blocks.push(
            json!({"type": "actions", "elements": [button("Evidence pack", ACTION_EVIDENCE, &PackRef { topic: topic.clone(), days })]}),
        );
    }
    SlackMessage { text: format!("Spike: {what}"), blocks }
}

/// Where a subject's alerts go: a topic's owners (else the fallback), a category's fallback.
fn channels(owners: &Owners, s: &Spike) -> Vec<String> {
    match &s.topic {
        Some(t) => owners.channels_for(std::slice::from_ref(t)),
        None => owners.fallback().map(str::to_string).into_iter().collect(),
    }
}

fn channel_key(rise: &str, channel: &str) -> String {
    format!("{rise}:{}", channel.trim().trim_start_matches('#').to_ascii_lowercase())
}

/// The outbox rows for one spike and its new state.
fn rows_for(
    s: &Spike,
    state: Option<SpikeState>,
    chans: &[String],
    now: DateTime<Utc>,
    quiet_days: i64,
) -> (Vec<NewOutboxMessage>, SpikeState, &'static str) {
    let planned = plan(s.ratio, state.as_ref(), now, quiet_days);
    let mut next = match (planned, state) {
        (Plan::Update { .. }, Some(st)) => SpikeState { checks: st.checks + 1, last_abnormal_at: now, ..st },
        _ => SpikeState {
            subject: s.subject.clone(),
            rise_key: format!("spike:{}:{}", s.subject, now.timestamp()),
            started_at: now,
            last_abnormal_at: now,
            announced_ratio: s.ratio,
            checks: 1,
        },
    };
    let message = compose_spike(s, next.checks, now);
    let mut rows = Vec::new();
    for c in chans {
        let first = channel_key(&next.rise_key, c);
        match planned {
            Plan::New => rows.push(outbox::row(first, c, &message, None)),
            Plan::Update { crossed } => {
                rows.push(outbox::update_row(format!("{first}:update:{}", next.checks), c, &first, &message));
                if crossed {
                    let reply = SlackMessage {
                        text: format!("Now {:.1}× the usual share ({} in {}).", s.ratio, s.items, window(s.window_days)),
                        blocks: vec![],
                    };
                    rows.push(outbox::row(format!("{first}:reply:{}", next.checks), c, &reply, Some(first.clone())));
                }
            }
        }
    }
    let action = match planned {
        Plan::New => "new",
        Plan::Update { crossed: false } => "update",
        Plan::Update { crossed: true } => {
            next.announced_ratio = s.ratio;
            "update+reply"
        }
    };
    (rows, next, action)
}

/// Finds the spikes now; with `send`, queues their alerts and records each rise.
pub async fn check(app: &AppState, now: DateTime<Utc>, send: bool) -> anyhow::Result<Vec<Checked>> {
    let settings = &app.settings.alerts;
    let rules = &app.classifier().rules;
    let owners = Owners::load(&app.store, rules, settings.fallback_channel()).await?;
    let mut out = Vec::new();
    for spike in find(&app.store, rules, now, settings).await? {
        let chans = channels(&owners, &spike);
        let state = app.store.spike_state(&spike.subject).await?;
        let (rows, next, action) = rows_for(&spike, state, &chans, now, settings.spike_quiet_days);
        if send {
            app.store.outbox_enqueue(&rows, now).await?;
            app.store.save_spike_state(&next).await?;
            app.outbox_wake.notify_one();
        }
        out.push(Checked { spike, action, channels: chans });
    }
    Ok(out)
}

/// Checks once per slot of `every`, on whichever replica claims the slot first.
pub async fn run_checks(app: AppState, every: Duration, mut stop: watch::Receiver<bool>) {
    let secs = i64::try_from(every.as_secs().max(1)).unwrap_or(3600);
    let by = replica_name();
    while !*stop.borrow() {
        let now = Utc::now();
        let slot = (now.timestamp() / secs).to_string();
        match app.store.claim_spike_check(&format!("{secs}:{slot}"), &by, now).await {
            Ok(true) => match check(&app, now, true).await {
                Ok(found) => tracing::info!(spikes = found.len(), "spike check done"),
                Err(e) => tracing::warn!(error = format!("{e:#}"), "spike check failed"),
            },
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "spike check claim failed"),
        }
        let wait = Duration::from_secs(u64::try_from(secs - Utc::now().timestamp() % secs).unwrap_or(1).clamp(1, 60));
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
}
