//! Spike alerts in Slack: one alert per rise, posted to the topic's owners (a category's to
//! the fallback channel) through the outbox; while the rise goes on each check updates that
//! message (chat.update) and replies in its thread when the rise doubles again. One replica
//! checks per slot (`spike_checks` claim); the state of each rise is in the database, shared
//! with `pushback spikes --send`. The alert says what rose, by how much, the p-value, the
//! accounts it touches and their ARR, and two quotes (redacted, with their source ticket).

use super::blocks::{ACTION_EVIDENCE, PackRef, SlackMessage, button, context, escape, header, link, section};
use super::outbox;
use crate::alerts::Owners;
use crate::alerts::spikes::{BASELINE_DAYS, Plan, Spike, find, plan};
use crate::app::AppState;
use crate::digest::schedule::replica_name;
use crate::domain::ArrCents;
use crate::evidence::pack::Quote;
use crate::stats::format_p;
use crate::store::{NewOutboxMessage, Scope, SpikeState, Store, StoreResult};
use crate::text::plural;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde_json::json;
use std::time::Duration;
use tokio::sync::watch;

/// A spike found now and what was (or would be) done about it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Checked {
    #[serde(flatten)]
    pub spike: Spike,
    #[serde(flatten)]
    pub reach: Reach,
    /// `new` (an alert), `update` (of the current rise's alert) or `update+reply`.
    pub action: &'static str,
    pub channels: Vec<String>,
}

/// Quotes an alert shows.
pub const QUOTES: usize = 2;
/// Recent items the quotes are picked from.
const QUOTE_POOL: i64 = 200;

/// Who a spike touches in its window: accounts, their ARR, and the quotes shown.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Reach {
    pub accounts: i64,
    pub arr_cents: i64,
    pub quotes: Vec<Quote>,
}

/// Reads a spike's reach: the tagged items of its topic (or category) in its window.
pub async fn reach(store: &Store, s: &Spike, now: DateTime<Utc>) -> StoreResult<Reach> {
    let scope = match (&s.topic, s.category) {
        (Some(t), _) => Scope::Topic(t),
        (None, Some(c)) => Scope::Category(c),
        (None, None) => return Ok(Reach::default()),
    };
    let from = now - ChronoDuration::days(s.window_days);
    let totals = store.scope_totals(scope, from, now).await?;
    let items = store.scope_items(scope, from, now, QUOTE_POOL).await?;
    let quotes = crate::evidence::quotes::pick_quotes(&items, s.category, crate::evidence::quotes::DEFAULT_THRESHOLDS, QUOTES);
    Ok(Reach { accounts: totals.accounts, arr_cents: totals.arr_cents, quotes })
}

fn window(days: i64) -> String {
    if days == 1 { "the last 24 hours".into() } else { format!("the last {days} days") }
}

/// "From 4 accounts with $120,000 ARR", or what is known of it.
fn reach_line(r: &Reach) -> String {
    let accounts = plural(u64::try_from(r.accounts).unwrap_or(0), "account");
    if r.arr_cents > 0 {
        format!("From *{accounts}* with *{} ARR*.", ArrCents(r.arr_cents).display_dollars())
    } else {
        format!("From *{accounts}* (no ARR on record).")
    }
}

/// A quote as the packs show it: redacted text, then account, source ticket and day.
fn quote_block(q: &Quote) -> serde_json::Value {
    let who = q.account.as_deref().map(escape).unwrap_or_else(|| "unknown account".into());
    let original = link(q.url.as_deref(), "original").map(|l| format!(" · {l}")).unwrap_or_default();
    let text = format!(
        ">{}\n— {who}, {} {}, {}{original}",
        escape(&q.text),
        escape(&q.reference),
        q.kind.replace('_', " "),
        q.created_at.format("%-d %b %Y")
    );
    section(&text)
}

pub fn compose_spike(s: &Spike, reach: &Reach, checks: i64, now: DateTime<Utc>) -> SlackMessage {
    let what = format!("{}: {:.1}× the usual share of feedback in {}", s.label, s.ratio, window(s.window_days));
    let mut blocks = vec![
        header(&format!("Spike: {what}")),
        section(&format!(
            "*{}* in {} against {} in the {BASELINE_DAYS} days before, as a share of all feedback: *{:.1}×* ({}).\n{}",
            plural(s.items, "item"),
            window(s.window_days),
            plural(s.baseline_items, "item"),
            s.ratio,
            format_p(s.p_value),
            reach_line(reach)
        )),
    ];
    blocks.extend(reach.quotes.iter().map(quote_block));
    let t = &s.thresholds;
    blocks.push(context(&format!(
        "Last checked {} · {} · alerts at {:.1}× with p < {} and {} · exact test as in the evidence packs",
        now.format("%-d %b %H:%M UTC"),
        escape(&s.subject),
        t.min_ratio,
        t.max_p,
        plural(t.min_items, "item")
    )));
    if checks > 1 {
        blocks.insert(2, context(&format!("Still rising: updated {} since the first alert", plural(checks as u64 - 1, "time"))));
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
    reach: &Reach,
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
    let message = compose_spike(s, reach, next.checks, now);
    let mut rows = Vec::new();
    for c in chans {
        let first = channel_key(&next.rise_key, c);
        match planned {
            Plan::New => rows.push(outbox::row(first, c, &message, None)),
            Plan::Update { crossed } => {
                rows.push(outbox::update_row(format!("{first}:update:{}", next.checks), c, &first, &message));
                if crossed {
                    let reply = SlackMessage {
                        text: format!("Now {:.1}× the usual share ({} in {}).", s.ratio, plural(s.items, "item"), window(s.window_days)),
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
        let reach = reach(&app.store, &spike, now).await?;
        let (rows, next, action) = rows_for(&spike, &reach, state, &chans, now, settings.spike_quiet_days);
        if send {
            app.store.outbox_enqueue(&rows, now).await?;
            app.store.save_spike_state(&next).await?;
            app.outbox_wake.notify_one();
        }
        out.push(Checked { spike, reach, action, channels: chans });
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
