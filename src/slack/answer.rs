//! Transport: how an answer reaches Slack, shared by every handler and message module (they
//! import this, never `routes`): the handlers' state (`SlackState`), who pressed a button
//! (`Actor`), answers through a `response_url` (`respond`, `respond_with`), an apology, and a
//! command's immediate answer as an HTTP body or a Socket Mode ack payload (`reply_body`).

use super::blocks::{SlackMessage, check_limits};
use super::client::{SlackApi, with_retries};
use crate::app::AppState;
use serde_json::{Value, json};

/// What the Slack handlers share: the app and the Slack client (absent if it failed to build).
#[derive(Clone, Debug)]
pub struct SlackState {
    pub app: AppState,
    pub api: Option<SlackApi>,
}

impl SlackState {
    /// The app with its Slack client (none, logged, when the client cannot be built).
    pub fn new(app: AppState) -> Self {
        let api = SlackApi::new(&app.settings.slack)
            .map_err(|e| tracing::error!(error = format!("{e:#}"), "Slack client unavailable; delayed answers will not be sent"))
            .ok();
        Self { app, api }
    }
}

/// Who pressed the button, where, and how to answer them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: String,
    pub channel: Option<String>,
    pub response_url: Option<String>,
    /// The message the button is on, when it is in a channel (not ephemeral): its thread.
    pub message_ts: Option<String>,
    /// The click's trigger_id, for opening a modal (valid 3 s).
    pub trigger_id: Option<String>,
    /// The view (Home tab or modal) the button is in, when it is in one.
    pub view: Option<ViewRef>,
}

/// An immediate, private answer to a command: the HTTP response's body, or the `payload` of a
/// Socket Mode acknowledgement.
pub fn reply_body(message: &SlackMessage) -> serde_json::Value {
    json!({"response_type": "ephemeral", "text": message.text, "blocks": message.blocks})
}

pub fn apology(why: &str) -> SlackMessage {
    SlackMessage { text: format!("Sorry, {why}."), blocks: vec![] }
}

/// Sends `message` to a `response_url`, retrying transient failures. A message that breaks
/// Block Kit limits is replaced by its fallback text rather than refused by Slack.
pub async fn respond(state: &SlackState, response_url: &str, message: &SlackMessage, in_channel: bool) {
    respond_with(state, response_url, message, in_channel, false).await;
}

/// `respond`, or with `replace_original` the message whose button was pressed is replaced.
pub async fn respond_with(state: &SlackState, response_url: &str, message: &SlackMessage, in_channel: bool, replace_original: bool) {
    let Some(api) = &state.api else {
        tracing::error!("cannot answer through response_url: the Slack client is unavailable");
        return;
    };
    let blocks = match check_limits(message) {
        Ok(()) => message.blocks.clone(),
        Err(problem) => {
            tracing::error!(%problem, "message breaks Block Kit limits; sending its text only");
            vec![]
        }
    };
    let body = json!({
        "response_type": if in_channel { "in_channel" } else { "ephemeral" },
        "replace_original": replace_original,
        "text": message.text,
        "blocks": blocks,
    });
    if let Err(e) = with_retries(3, || api.respond(response_url, &body)).await {
        tracing::error!(error = %e, "answer through response_url failed");
    }
}

/// The view a button was pressed in (the Home tab or a modal), from the interaction payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRef {
    pub id: String,
    /// `home` or `modal`.
    pub kind: String,
    pub hash: Option<String>,
    /// The channel picked in the view's `share_to` conversations select, if any.
    pub share_channel: Option<String>,
}

impl ViewRef {
    /// The `view` of a `block_actions` payload, when the click was in one.
    pub fn from_payload(payload: &Value) -> Option<Self> {
        let view = payload.get("view").filter(|v| v.is_object())?;
        let picked = &view["state"]["values"][SHARE_BLOCK][SHARE_ACTION];
        let share_channel = picked["selected_conversation"].as_str().or_else(|| picked["selected_channel"].as_str());
        Some(Self {
            id: view["id"].as_str()?.to_string(),
            kind: view["type"].as_str().unwrap_or("modal").to_string(),
            hash: view["hash"].as_str().map(str::to_string),
            share_channel: share_channel.filter(|c| !c.is_empty()).map(str::to_string),
        })
    }

    pub fn is_modal(&self) -> bool {
        self.kind == "modal"
    }
}

/// The block and action ids of a modal's "share to which channel" picker.
pub const SHARE_BLOCK: &str = "share_to";
pub const SHARE_ACTION: &str = "channel";
