//! An envelope to the function the HTTP routes call for the same thing (`routes::command`,
//! `routes::interaction`, `events::event`), once across replicas: its keys are claimed in the
//! database first, and a delivery someone already claimed is only acknowledged. Returns the
//! ack to send, with a slash command's immediate answer as its payload (or, when the envelope
//! says `accepts_response_payload: false`, that answer goes through its response_url).

use super::super::answer::{self, apology, reply_body};
use super::super::routes;
use super::Ctx;
use super::frames::{self, Envelope, Kind};
use std::time::Duration;

/// Longest wait for the claim: the ack must reach Slack within 3 s.
const CLAIM_TIMEOUT: Duration = Duration::from_millis(1500);

/// Handles `envelope` (or skips a redelivery) and returns its ack.
pub async fn envelope(ctx: &Ctx, envelope: Envelope) -> String {
    let id = envelope.envelope_id.clone();
    if !first_delivery(ctx, &envelope).await {
        tracing::info!(envelope = %id, retry = envelope.retry_attempt, "Slack redelivery already handled; acknowledged only");
        return frames::ack(&id, None);
    }
    let payload = match envelope.kind {
        Kind::SlashCommands => {
            let fields = frames::fields(&envelope.payload);
            let answer = routes::command(&ctx.slack, &fields).unwrap_or_else(|e| {
                tracing::warn!(error = %e, envelope = %id, "slash command over the socket refused");
                apology(&format!("that command could not be read ({e})"))
            });
            if !envelope.accepts_response_payload {
                // The ack may not carry it: the immediate answer goes through response_url.
                answer_later(ctx, fields.get("response_url").cloned(), answer);
                return frames::ack(&id, None);
            }
            Some(reply_body(&answer))
        }
        Kind::Interactive => {
            if let Err(e) = routes::interaction(&ctx.slack, envelope.payload) {
                tracing::warn!(error = %e, envelope = %id, "interactive payload is not a Slack interaction; ignored");
            }
            None
        }
        Kind::EventsApi => {
            super::super::events::event(&ctx.slack, &envelope.payload);
            None
        }
    };
    frames::ack(&id, payload.filter(|_| envelope.accepts_response_payload))
}

/// Sends a command's immediate answer through its `response_url` (when the ack cannot carry it).
fn answer_later(ctx: &Ctx, response_url: Option<String>, answer: crate::slack::blocks::SlackMessage) {
    let Some(url) = response_url.filter(|u| !u.is_empty()) else {
        tracing::warn!("a slash command's answer was dropped: the envelope accepts no response payload and has no response_url");
        return;
    };
    let slack = ctx.slack.clone();
    tokio::spawn(async move { answer::respond(&slack, &url, &answer, false).await });
}

/// Claims the envelope's keys. When the database cannot say in time the envelope is handled
/// anyway: a rare double answer beats a command left unanswered.
async fn first_delivery(ctx: &Ctx, envelope: &Envelope) -> bool {
    let keys = envelope.claim_keys();
    let claim = ctx.slack.app.store.claim_slack_keys(&keys, &ctx.replica, ctx.dedupe_ttl_secs, chrono::Utc::now());
    match tokio::time::timeout(CLAIM_TIMEOUT, claim).await {
        Ok(Ok(first)) => first,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, envelope = %envelope.envelope_id, "cannot record the Slack envelope; handling it without the redelivery check");
            true
        }
        Err(_) => {
            tracing::warn!(envelope = %envelope.envelope_id, "recording the Slack envelope took too long; handling it without the redelivery check");
            true
        }
    }
}
