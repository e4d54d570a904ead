//! Events API callbacks (`event_callback`), which pushback receives over Socket Mode. Each event
//! type it handles has one function here; others are logged and ignored.

use super::routes::SlackState;
use serde_json::Value;

/// One `events_api` payload (an `event_callback` with its `event`); slow work is spawned.
pub fn event(state: &SlackState, payload: &Value) {
    let event = &payload["event"];
    let kind = event["type"].as_str().unwrap_or("?");
    let id = payload["event_id"].as_str().unwrap_or("?");
    match (kind, event["user"].as_str(), event["tab"].as_str()) {
        ("app_home_opened", Some(user), None | Some("home")) => {
            tracing::info!(event_id = id, user, "Home tab opened");
            tokio::spawn(super::home::publish(state.clone(), user.to_string()));
        }
        _ => tracing::debug!(event = kind, event_id = id, "Slack event without a handler ignored"),
    }
}
