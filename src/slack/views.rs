//! Views as transport: modals opened, updated and pushed with `views.open`, `views.update` and
//! `views.push`, built from a `SlackMessage`'s blocks, and where a click inside a view came from
//! (`ViewRef`, read from the interaction payload). What a view says is the message modules' work.

use super::answer::SlackState;
use super::blocks::{SlackMessage, section};
use super::client::with_retries;
use crate::text::truncate_chars;
use serde_json::{Value, json};

/// Slack's limits for a modal: 100 blocks, a title of 24 characters.
pub const MAX_VIEW_BLOCKS: usize = 100;
const MAX_TITLE: usize = 24;

pub use super::answer::{SHARE_ACTION, SHARE_BLOCK, ViewRef};

/// A channel picker for a modal (its choice arrives with the modal's buttons' clicks).
pub fn channel_picker() -> Value {
    json!({"type": "input", "block_id": SHARE_BLOCK, "optional": true, "dispatch_action": false,
        "label": {"type": "plain_text", "text": "Share to channel"},
        "element": {"type": "conversations_select", "action_id": SHARE_ACTION,
            "placeholder": {"type": "plain_text", "text": "Pick a channel"},
            "filter": {"include": ["public", "private"], "exclude_bot_users": true}}})
}

/// A modal showing `message`'s blocks (its text, mrkdwn as the messages write it, when it has
/// none), cut to Slack's limit.
pub fn modal(title: &str, message: &SlackMessage, callback_id: &str) -> Value {
    let mut blocks = if message.blocks.is_empty() { vec![section(&message.text)] } else { message.blocks.clone() };
    blocks.truncate(MAX_VIEW_BLOCKS);
    json!({"type": "modal", "callback_id": callback_id, "title": {"type": "plain_text", "text": truncate_chars(title, MAX_TITLE)},
        "close": {"type": "plain_text", "text": "Close"}, "blocks": blocks})
}

/// The modal shown while a slow one is built (a trigger_id lasts 3 s).
pub fn loading(title: &str, what: &str) -> Value {
    modal(title, &SlackMessage { text: format!("{what}…"), blocks: vec![] }, "loading")
}

fn api(state: &SlackState) -> Option<&super::client::SlackApi> {
    let api = state.api.as_ref().filter(|a| a.can_post());
    if api.is_none() {
        tracing::error!("cannot open a Slack view: no bot token (set PUSHBACK_SLACK__BOT_TOKEN)");
    }
    api
}

/// Opens `view` for the click's `trigger_id`; returns the new view's id.
pub async fn open(state: &SlackState, trigger_id: &str, view: Value) -> Option<String> {
    match api(state)?.open_view(trigger_id, view).await {
        Ok(id) => Some(id),
        Err(e) => {
            tracing::error!(error = %e, "views.open failed");
            None
        }
    }
}

/// Replaces the open view `view_id` with `view` (`hash`: only if it did not change since).
pub async fn update(state: &SlackState, view_id: &str, hash: Option<&str>, view: Value) {
    let Some(api) = api(state) else { return };
    if let Err(e) = with_retries(3, || api.update_view(view_id, hash, view.clone())).await {
        tracing::error!(error = %e, view_id, "views.update failed");
    }
}

/// Shows `message` over the view a button was pressed in: pushed onto a modal (Back returns to
/// it), or opened as a modal from the Home tab.
pub async fn answer(state: &SlackState, trigger_id: &str, from: &ViewRef, message: &SlackMessage) {
    let Some(api) = api(state) else { return };
    let view = modal("pushback", message, "answer");
    let result = if from.is_modal() {
        api.call_json("views.push", &json!({"trigger_id": trigger_id, "view": view})).await.map(|_| ())
    } else {
        api.open_view(trigger_id, view).await.map(|_| ())
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "the answer to a click in a view could not be shown");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_in_a_view_names_the_view_and_the_channel_picked() {
        let payload = json!({"view": {"id": "V1", "type": "modal", "hash": "1.2",
            "state": {"values": {"share_to": {"channel": {"type": "conversations_select", "selected_conversation": "C9"}}}}}});
        let view = ViewRef::from_payload(&payload).unwrap();
        assert_eq!(view, ViewRef { id: "V1".into(), kind: "modal".into(), hash: Some("1.2".into()), share_channel: Some("C9".into()) });
        assert!(view.is_modal());
        let home = ViewRef::from_payload(&json!({"view": {"id": "V2", "type": "home", "state": {"values": {}}}})).unwrap();
        assert!(!home.is_modal() && home.share_channel.is_none());
        assert!(ViewRef::from_payload(&json!({"container": {"type": "message"}})).is_none());
    }

    #[test]
    fn a_modal_keeps_to_slack_limits() {
        let long = SlackMessage { text: "t".into(), blocks: vec![section("x"); 150] };
        let view = modal("A title far longer than twenty-four characters", &long, "cb");
        assert_eq!(view["blocks"].as_array().unwrap().len(), MAX_VIEW_BLOCKS);
        assert!(view["title"]["text"].as_str().unwrap().chars().count() <= MAX_TITLE);
        let text_only = modal("t", &SlackMessage { text: "Shared in <#C1>.".into(), blocks: vec![] }, "cb");
        assert_eq!(text_only["blocks"][0]["text"]["text"], "Shared in <#C1>.");
    }
}
