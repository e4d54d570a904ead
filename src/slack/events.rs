//! Events API callbacks (`event_callback`), which pushback receives over Socket Mode. Each event
//! type it handles has one function here; others are logged and ignored.

use super::routes::SlackState;
use serde_json::Value;

/// One `events_api` payload (an `event_callback` with its `event`).
pub fn event(_state: &SlackState, payload: &Value) {
    let kind = payload["event"]["type"].as_str().unwrap_or("?");
    let id = payload["event_id"].as_str().unwrap_or("?");
    tracing::debug!(event = kind, event_id = id, "Slack event without a handler ignored");
}
