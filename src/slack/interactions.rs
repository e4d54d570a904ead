//! What the buttons do: *Share in channel* re-posts the evidence in the channel, *Download
//! pack* uploads it as Markdown and CSV, *Wrong tag* records a correction for retraining, the
//! label queue's buttons (`label`) record one and update their message in place, and *Make
//! this a topic* stores an emerging cluster as a topic, and the App Home's *Open pack* and *Label
//! these* open modals (`home_actions`). A click in a view (no response_url) is answered over it.
//! Each runs in the background after the click was acknowledged, answering via response_url.

use super::answer::{Actor, SlackState, apology, respond};
use super::blocks::{ACTION_DOWNLOAD, ACTION_EVIDENCE, ACTION_SHARE, ACTION_WRONG_TAG, PackRef, SlackMessage, WrongTag, escape};
use super::client::with_retries;
use super::evidence::{evidence_message, evidence_pack_files};
use super::home_view::{ACTION_HOME_LABEL, ACTION_HOME_PACK};
use crate::domain::Category;
use serde::de::DeserializeOwned;

fn value<T: DeserializeOwned>(raw: Option<&str>) -> Option<T> {
    serde_json::from_str(raw?).ok()
}

pub async fn handle(state: SlackState, actor: Actor, action_id: String, raw: Option<String>) {
    let answer = match action_id.as_str() {
        ACTION_SHARE => match value::<PackRef>(raw.as_deref()) {
            Some(p) => match (&actor.response_url, &actor.view) {
                (None, Some(view)) => Some(super::home_actions::share_from_view(&state, view, &p).await),
                _ => share(&state, &actor, &p).await,
            },
            None => Some(apology("that button's data is unreadable")),
        },
        ACTION_DOWNLOAD => match value::<PackRef>(raw.as_deref()) {
            Some(p) => Some(download(&state, &actor, &p).await),
            None => Some(apology("that button's data is unreadable")),
        },
        ACTION_EVIDENCE => match value::<PackRef>(raw.as_deref()) {
            Some(p) => Some(evidence_message(&state.app, &p.topic, p.days, false).await.unwrap_or_else(|e| {
                tracing::error!(error = format!("{e:#}"), "alert evidence failed");
                apology("the evidence could not be read; please try again")
            })),
            None => Some(apology("that button's data is unreadable")),
        },
        ACTION_WRONG_TAG => match value::<WrongTag>(raw.as_deref()) {
            Some(w) => Some(wrong_tag(&state, &actor, w).await),
            None => Some(apology("that button's data is unreadable")),
        },
        super::emerging::ACTION_MAKE_TOPIC => match value::<crate::domain::TopicDraft>(raw.as_deref()) {
            Some(draft) => Some(super::emerging::make_topic(&state.app, &actor.user, draft).await),
            None => Some(apology("that button's data is unreadable")),
        },
        super::review::ACTION_REVIEW_DOWNLOAD => Some(super::review::download(&state, &actor, raw.as_deref()).await),
        ACTION_HOME_PACK => match value::<PackRef>(raw.as_deref()) {
            Some(p) => super::home_actions::open_pack(&state, &actor, &p).await,
            None => Some(apology("that button's data is unreadable")),
        },
        ACTION_HOME_LABEL => super::home_actions::open_labels(&state, &actor).await,
        other if other.starts_with(super::label::ACTION_LABEL) => super::label::clicked(&state, &actor, other, raw.as_deref()).await,
        other if other.starts_with(super::blocks::ACTION_CREATE_ISSUE) => match value::<super::blocks::IssueRef>(raw.as_deref()) {
            Some(r) => super::issues::create_issue(&state, &actor, &r).await,
            None => Some(apology("that button's data is unreadable")),
        },
        other => {
            tracing::debug!(action = other, "button without a handler ignored");
            None
        }
    };
    match (answer, actor.response_url.as_deref(), actor.trigger_id.as_deref(), actor.view.as_ref()) {
        (Some(message), Some(url), ..) => respond(&state, url, &message, false).await,
        (Some(message), None, Some(trigger), Some(view)) => super::views::answer(&state, trigger, view, &message).await,
        _ => {}
    }
}

/// Posts the evidence in the channel; answers privately only when that fails.
async fn share(state: &SlackState, actor: &Actor, pack: &PackRef) -> Option<SlackMessage> {
    let Some(url) = actor.response_url.as_deref() else { return Some(apology("this message can no longer be shared")) };
    match evidence_message(&state.app, &pack.topic, pack.days, true).await {
        Ok(message) => {
            respond(state, url, &message, true).await;
            None
        }
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "share in channel failed");
            Some(apology("the evidence could not be read; please try again"))
        }
    }
}

async fn download(state: &SlackState, actor: &Actor, pack: &PackRef) -> SlackMessage {
    let (Some(api), Some(channel)) = (state.api.as_ref().filter(|a| a.can_post()), actor.channel.as_deref()) else {
        return apology("file uploads need the bot token (PUSHBACK_SLACK__BOT_TOKEN) and a channel");
    };
    let files = match evidence_pack_files(&state.app, &pack.topic, pack.days).await {
        Ok(files) => files,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "evidence pack failed");
            return apology("the evidence pack could not be built");
        }
    };
    let comment = format!(
        "Evidence pack for {} ({}), requested by <@{}>",
        pack.topic,
        crate::text::plural(u64::from(pack.days), "day"),
        escape(&actor.user)
    );
    match with_retries(3, || api.upload_files(channel, &files, &comment)).await {
        Ok(()) => SlackMessage {
            text: format!("Uploaded {} to this channel.", files.iter().map(|f| f.filename.as_str()).collect::<Vec<_>>().join(" and ")),
            blocks: vec![],
        },
        Err(e) => {
            tracing::error!(error = %e, channel, "evidence pack upload failed");
            apology(&format!("the upload failed ({e}); is the bot in this channel?"))
        }
    }
}

/// The item stops counting as `category` (its other category is kept), recorded as a
/// person's correction.
async fn wrong_tag(state: &SlackState, actor: &Actor, w: WrongTag) -> SlackMessage {
    let store = &state.app.store;
    let item = match store.item(w.item).await {
        Ok(Some(item)) => item,
        Ok(None) => return apology(&format!("item {} no longer exists", w.item)),
        Err(e) => {
            tracing::error!(error = %e, "wrong tag: item lookup failed");
            return apology("the correction could not be saved; please try again");
        }
    };
    let c = &item.classification;
    let performance = c.performance && w.category != Category::Performance;
    let reliability = c.reliability && w.category != Category::Reliability;
    match store.record_correction(w.item, performance, reliability, &format!("slack:{}", actor.user), chrono::Utc::now()).await {
        Ok(_) => SlackMessage {
            text: format!(
                "Thanks: item {} no longer counts as {}. Recorded as a correction for the next training run.",
                w.item, w.category
            ),
            blocks: vec![],
        },
        Err(e) => {
            tracing::error!(error = %e, "wrong tag: correction not saved");
            apology("the correction could not be saved; please try again")
        }
    }
}
