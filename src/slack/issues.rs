//! Evidence into tracker issues from Slack: the *Create issue* buttons and the linked issues
//! shown on an evidence message, what a click does (files the pack once, then updates the
//! message with the link), and the impact report posted in the evidence message's thread and
//! to the topic's owner channels once the fix's after-window is complete, once across replicas.

use super::answer::{Actor, SlackState, apology};
use super::blocks::{IssueRef, SlackMessage, context, escape, link, section};
use super::client::{SlackApi, with_retries};
use super::evidence::state_word;
use crate::alerts::Owners;
use crate::alerts::owners::same_channel;
use crate::app::AppState;
use crate::domain::{IssueLink, NewIssueLink};
use crate::evidence::Answer;
use crate::store::NewOutboxMessage;
use crate::text::plural;
use crate::trackers::{Filed, impact};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::watch;

/// A *Create issue* click: files the pack (or finds the open issue), then replaces the message
/// with one showing the link. Errors name the setting to fix.
pub async fn create_issue(state: &SlackState, actor: &Actor, r: &IssueRef) -> Option<SlackMessage> {
    let app = &state.app;
    let now = Utc::now();
    let request = crate::evidence::Request::last_days(&r.topic, i64::from(r.days), now);
    let answer = match crate::evidence::answer(&app.store, &app.classifier(), &app.prometheus, &request, now).await {
        Ok(a) => a,
        Err(e) => return Some(apology(&format!("the evidence could not be read ({e})"))),
    };
    let Answer::Pack(pack) = &answer else { return Some(apology(&format!("nothing matches `{}` any more", escape(&r.topic)))) };
    let markdown = crate::evidence::render::markdown::render(&answer);
    let new = NewIssueLink {
        topic: pack.slug.clone(),
        tracker: r.tracker,
        pack_hash: pack.reproduce.items_hash.clone(),
        window: pack.window,
        created_by: format!("slack:{}", actor.user),
        slack_channel: actor.channel.clone(),
        slack_ts: actor.message_ts.clone(),
    };
    let said = match crate::trackers::file(&app.store, &app.settings.trackers, &crate::trackers::new_issue(pack, markdown), &new, now).await
    {
        Ok(Filed::New(l)) => {
            format!("Created {} issue {} for `{}`.", l.tracker.label(), link(Some(&l.url), &l.key).unwrap_or(l.key), pack.slug)
        }
        Ok(Filed::Existing(l)) => format!(
            "`{}` already has {} issue {} ({}); no second issue was created.",
            pack.slug,
            l.tracker.label(),
            link(Some(&l.url), &l.key).unwrap_or(l.key),
            state_word(l.state)
        ),
        Ok(Filed::InProgress) => return Some(apology("that issue is being created right now; its link follows shortly")),
        Err(e) => return Some(apology(&format!("the issue was not created: {e}"))),
    };
    let (Some(url), Some(api)) = (actor.response_url.as_deref(), state.api.as_ref()) else {
        return Some(SlackMessage { text: said, blocks: vec![] });
    };
    let mut updated = match super::evidence::evidence_message(app, &r.topic, r.days, actor.message_ts.is_some()).await {
        Ok(m) => m,
        Err(_) => SlackMessage { text: said.clone(), blocks: vec![] },
    };
    updated.blocks.insert(0, section(&said));
    let body = json!({"replace_original": true, "text": said, "blocks": updated.blocks});
    if let Err(e) = with_retries(3, || api.respond(url, &body)).await {
        tracing::error!(error = %e, "could not update the evidence message with the issue link");
    }
    None
}

/// Serve's loop: posts each due impact report once, in the evidence message's thread (or the
/// digest channel for issues filed from the command line) and to the topic's owner channels.
pub async fn run_reporter(state: AppState, api: SlackApi, every: Duration, mut stopped: watch::Receiver<bool>) {
    loop {
        if let Err(e) = post_due_reports(&state, &api, Utc::now()).await {
            tracing::error!(error = format!("{e:#}"), "impact reports: pass failed; retrying next time");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// The report's copies for the topic's owner channels (through the outbox), each keyed by issue
/// and channel; none for the channel whose thread gets it anyway.
pub fn owner_copies(l: &IssueLink, message: &SlackMessage, owners: &[String], thread_channel: Option<&str>) -> Vec<NewOutboxMessage> {
    owners
        .iter()
        .filter(|c| !thread_channel.is_some_and(|t| same_channel(c, t)))
        .map(|c| {
            let key = format!("impact:{}:{}", l.id, c.trim().trim_start_matches('#').to_ascii_lowercase());
            super::outbox::row(key, c, message, None)
        })
        .collect()
}

/// One pass: every done issue whose after-window is complete is claimed (exactly one replica
/// wins; the owner channels' copies are queued with the claim) and reported. A reopened issue
/// is no longer done, so its report never goes.
pub async fn post_due_reports(state: &AppState, api: &SlackApi, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let t = &state.settings.trackers;
    let classifier = state.classifier();
    let owners = Owners::load(&state.store, &classifier.rules, None).await?;
    let mut posted = 0;
    for l in state.store.pending_reports().await? {
        let Some(done_at) = l.done_at else { continue };
        let (_, after) = impact::windows(done_at, t.window_days, t.settle_days);
        if now < after.to {
            continue;
        }
        let channel = l.slack_channel.clone().or_else(|| state.settings.slack.channel().map(str::to_string));
        let Some(report) =
            impact::report(&state.store, &classifier, &l.topic, &l.key, done_at, (t.window_days, t.settle_days), now).await?
        else {
            continue;
        };
        let message = report_message(&report, &l);
        let copies = owner_copies(&l, &message, owners.of_topic(&l.topic), channel.as_deref());
        if (channel.is_none() && copies.is_empty()) || !state.store.claim_report(l.id, now, &copies).await? {
            continue;
        }
        state.outbox_wake.notify_one();
        let Some(channel) = channel else {
            posted += 1;
            continue;
        };
        match with_retries(3, || api.post_message(&channel, &message, l.slack_ts.as_deref())).await {
            Ok(_) => posted += 1,
            Err(e) => {
                tracing::error!(error = %e, key = %l.key, "impact report not posted; will retry");
                state.store.unclaim_report(l.id).await?;
            }
        }
    }
    Ok(posted)
}

pub fn report_message(r: &impact::ImpactReport, l: &IssueLink) -> SlackMessage {
    let key = link(Some(&l.url), &l.key).unwrap_or_else(|| escape(&l.key));
    let body = format!("*Did it work?* {}\n{}", escape(&r.summary), blocks_detail(r));
    let blocks: Vec<Value> =
        vec![section(&body), context(&format!("{} {key} · `pushback impact {} --issue {}`", l.tracker.label(), r.topic, escape(&l.key)))];
    SlackMessage { text: r.summary.clone(), blocks }
}

fn blocks_detail(r: &impact::ImpactReport) -> String {
    let i = &r.impact;
    format!(
        "Before: {} from {} · after: {} from {} · ARR still affected: ${:.0}",
        plural(i.before, "item"),
        plural(r.accounts_before, "account"),
        plural(i.after, "item"),
        plural(r.accounts_after, "account"),
        r.arr_still_affected_cents as f64 / 100.0
    )
}

/// The digest's "Fixes and their effect": the five most recent fixes closed as done, each with
/// its impact so far. `None` when no linked issue was closed as done.
pub async fn fixes_section(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<Option<Value>> {
    let t = &state.settings.trackers;
    let mut lines = Vec::new();
    for l in state.store.done_issues().await?.into_iter().take(5) {
        let Some(done_at) = l.done_at else { continue };
        if let Some(r) =
            impact::report(&state.store, &state.classifier(), &l.topic, &l.key, done_at, (t.window_days, t.settle_days), now).await?
        {
            let key = link(Some(&l.url), &l.key).unwrap_or_else(|| escape(&l.key));
            lines.push(format!("• {key}: {}", escape(&r.summary)));
        }
    }
    Ok((!lines.is_empty()).then(|| section(&crate::text::truncate_chars(&format!("*Fixes and their effect*\n{}", lines.join("\n")), 2900))))
}
