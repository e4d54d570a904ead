//! Events API callbacks (`event_callback`), received over Socket Mode (`socket::dispatch`) or
//! `POST /slack/events` (`delivered`, signed like the other Slack routes). Each event type
//! pushback handles has one function here, `event`, whichever way it arrived; others are logged
//! and ignored. Over HTTP an event is claimed by its `event_id` in `slack_claims` (the key the
//! socket claims too), so Slack's retry (`X-Slack-Retry-Num`) has one effect across replicas.

use super::answer::SlackState;
use crate::domain::FieldError;
use serde_json::Value;
use std::time::Duration;

/// Longest wait for the claim: Slack wants the HTTP answer within 3 s.
const CLAIM_TIMEOUT: Duration = Duration::from_millis(1500);

/// One `events_api` payload (an `event_callback` with its `event`); slow work is spawned.
pub fn event(state: &SlackState, payload: &Value) {
    let event = &payload["event"];
    let kind = event["type"].as_str().unwrap_or("?");
    let id = payload["event_id"].as_str().unwrap_or("?");
    match (kind, event["user"].as_str(), event["tab"].as_str()) {
        ("app_home_opened", Some(user), None | Some("home")) => {
            tracing::info!(event_id = id, user, "Home tab opened");
            let hash = event["view"]["hash"].as_str().map(str::to_string);
            tokio::spawn(super::home::publish(state.clone(), user.to_string(), hash));
        }
        _ => tracing::debug!(event = kind, event_id = id, "Slack event without a handler ignored"),
    }
}

/// A signed Events API request body: `url_verification` returns its challenge to echo;
/// `event_callback` goes to `event` unless its `event_id` was claimed already.
pub async fn delivered(state: &SlackState, payload: &Value, retry: Option<&str>) -> Result<Option<String>, FieldError> {
    match payload["type"].as_str() {
        Some("url_verification") => {
            let challenge = payload["challenge"].as_str().ok_or_else(|| FieldError::new("challenge", "is missing"))?;
            tracing::info!("Slack verified the events request URL");
            Ok(Some(challenge.to_string()))
        }
        Some("event_callback") => {
            let id = payload["event_id"].as_str().filter(|i| !i.is_empty()).ok_or_else(|| FieldError::new("event_id", "is missing"))?;
            if first_delivery(state, id).await {
                event(state, payload);
            } else {
                tracing::info!(event_id = id, retry, "Slack event already handled; acknowledged only");
            }
            Ok(None)
        }
        other => {
            tracing::debug!(kind = other.unwrap_or("?"), "Slack events request without a handler ignored");
            Ok(None)
        }
    }
}

/// Claims `event:<id>`. When the database cannot say in time the event is handled anyway.
async fn first_delivery(state: &SlackState, id: &str) -> bool {
    let slack = &state.app.settings.slack;
    let keys = [format!("event:{id}")];
    let replica = crate::digest::schedule::replica_name();
    let claim = state.app.store.claim_slack_keys(&keys, &replica, slack.socket_dedupe_ttl_secs, chrono::Utc::now());
    match tokio::time::timeout(CLAIM_TIMEOUT, claim).await {
        Ok(Ok(first)) => first,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, event_id = id, "cannot record the Slack event; handling it without the redelivery check");
            true
        }
        Err(_) => {
            tracing::warn!(event_id = id, "recording the Slack event took too long; handling it without the redelivery check");
            true
        }
    }
}
