//! What the App Home's buttons do: *Open pack* opens a topic's evidence pack in a modal (with a
//! channel picker and *Share to channel*), *Label these* opens the label queue in a modal where
//! each click is recorded as `/pushback label` records it, and *Share to channel* inside a modal
//! posts the pack in the chosen channel. Slow modals open as "loading" first (a trigger_id lasts
//! 3 s) and are then updated in place.

use super::answer::{Actor, SlackState, apology};
use super::blocks::{PackRef, SlackMessage};
use super::client::with_retries;
use super::evidence::evidence_message;
use super::home_view::pack_in_modal;
use super::label::{LABEL_CALLBACK, LABEL_TITLE};
use super::views::{self, ViewRef};

pub const PACK_TITLE: &str = "Evidence pack";

/// *Open pack*: a loading modal at once, then the pack.
pub async fn open_pack(state: &SlackState, actor: &Actor, pack: &PackRef) -> Option<SlackMessage> {
    let Some(trigger) = actor.trigger_id.as_deref() else { return Some(apology("that button needs Slack's trigger_id to open the pack")) };
    let loading = views::loading(PACK_TITLE, &format!("Gathering the evidence for {}", pack.topic));
    let view_id = views::open(state, trigger, loading).await?;
    let message = match evidence_message(&state.app, &pack.topic, pack.days, false).await {
        Ok(message) => pack_in_modal(message, pack),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), topic = %pack.topic, "Home pack failed");
            apology("the evidence could not be read; please try again")
        }
    };
    views::update(state, &view_id, None, views::modal(PACK_TITLE, &message, "home_pack")).await;
    None
}

/// *Label these*: the label queue's least sure items in a modal.
pub async fn open_labels(state: &SlackState, actor: &Actor) -> Option<SlackMessage> {
    let Some(trigger) = actor.trigger_id.as_deref() else { return Some(apology("that button needs Slack's trigger_id to open the queue")) };
    let view_id = views::open(state, trigger, views::loading(LABEL_TITLE, "Finding the items the model is least sure about")).await?;
    let message = super::label::queue_message(&state.app).await.unwrap_or_else(|e| {
        tracing::error!(error = format!("{e:#}"), "Home label queue failed");
        apology("the label queue could not be read; please try again")
    });
    views::update(state, &view_id, None, views::modal(LABEL_TITLE, &message, LABEL_CALLBACK)).await;
    None
}

/// *Share to channel* in a pack modal: posts the pack (as *Share in channel* does) in the
/// channel picked in the modal; the answer says where, or what to do.
pub async fn share_from_view(state: &SlackState, view: &ViewRef, pack: &PackRef) -> SlackMessage {
    let Some(channel) = view.share_channel.as_deref() else {
        return SlackMessage { text: "Pick a channel under *Share to channel* first, then press the button again.".into(), blocks: vec![] };
    };
    let Some(api) = state.api.as_ref().filter(|a| a.can_post()) else {
        return apology("sharing needs the bot token (PUSHBACK_SLACK__BOT_TOKEN)");
    };
    let message = match evidence_message(&state.app, &pack.topic, pack.days, true).await {
        Ok(message) => message,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "share from the Home tab failed");
            return apology("the evidence could not be read; please try again");
        }
    };
    match with_retries(3, || api.post(channel, &message, None)).await {
        Ok(_) => SlackMessage { text: format!("Shared the evidence for `{}` in <#{channel}>.", pack.topic), blocks: vec![] },
        Err(e) => {
            tracing::error!(error = %e, channel, "share from the Home tab: post failed");
            apology(&format!("the pack could not be posted in <#{channel}> ({e}); is the bot in that channel? `/invite` it first"))
        }
    }
}
