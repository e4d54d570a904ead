//! `POST /slack/commands`, `POST /slack/interactions` and `POST /slack/events` (to `events`), and the two functions both they and
//! Socket Mode (`socket`) hand commands and buttons to: `command` and `interaction`. The v0 signature is checked on the
//! raw body before anything else is done (401 otherwise); Slack's `ssl_check` pings get an
//! empty 200. Every request is acknowledged at once: cheap answers in the response, the rest
//! later through `response_url` from a background task.

use super::answer::Actor;
/// Re-exported so code written against `routes` keeps compiling; new code imports `answer`.
pub use super::answer::{SlackState, apology, reply_body, respond, respond_with};
use super::blocks::{SlackMessage, escape};
use super::commands::SlashCommand;
use super::interactions;
use super::signature;
use super::{digest, evidence, help, label, subscribe, top};
use crate::app::AppState;
use crate::domain::FieldError;
use crate::error::AppError;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;
use slack_morphism::prelude::{SlackInteractionActionContainer, SlackInteractionEvent};
use std::collections::HashMap;
use std::time::Duration;

/// Longest a delayed answer may take to build (response_url is valid for 30 minutes).
const BUILD_TIMEOUT: Duration = Duration::from_secs(120);
/// response_url answers allow 5 uses; the digest preview keeps one spare.
const MAX_RESPONSES: usize = 4;

pub fn router(app: AppState) -> Router<AppState> {
    Router::new()
        .route("/slack/commands", post(commands))
        .route("/slack/interactions", post(interactions))
        .route("/slack/events", post(events))
        .with_state(SlackState::new(app))
}

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn verify(state: &SlackState, headers: &HeaderMap, body: &[u8]) -> Result<(), AppError> {
    let slack = &state.app.settings.slack;
    let secret = slack
        .secret()
        .ok_or_else(|| AppError::Unauthorized("Slack requests are refused: PUSHBACK_SLACK__SIGNING_SECRET is not set".into()))?;
    signature::verify(headers, body, secret, chrono::Utc::now().timestamp(), slack.timestamp_tolerance_secs)?;
    Ok(())
}

fn reply(message: &SlackMessage) -> Response {
    axum::Json(reply_body(message)).into_response()
}

async fn commands(State(state): State<SlackState>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let fields = form(&body);
    // Slack's certificate check carries no command and changes nothing (bolt answers it the same way).
    if fields.get("ssl_check").map(String::as_str) == Some("1") && !fields.contains_key("command") {
        return Ok(StatusCode::OK.into_response());
    }
    verify(&state, &headers, &body)?;
    Ok(reply(&command(&state, &fields)?))
}

/// A slash command however it arrived (signed HTTP request or Socket Mode envelope), as
/// Slack's fields: returns the immediate answer and starts the slow one (through
/// `response_url`) in the background.
pub fn command(state: &SlackState, fields: &HashMap<String, String>) -> Result<SlackMessage, AppError> {
    let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
    let command = SlashCommand::parse(field("command"), field("text")).with_origin(field("channel_id"), field("user_id"));
    tracing::info!(command = field("command"), user = field("user_id"), channel = field("channel_id"), parsed = ?command, "slash command");
    let ack = match &command {
        SlashCommand::Help => return Ok(help::help_message()),
        SlashCommand::Unknown { input, problem } => return Ok(help::unknown_command_message(input, problem)),
        SlashCommand::Glossary { topic } => return Ok(help::glossary_message(&state.app.classifier().rules, topic.as_deref())),
        other => working_on(other),
    };
    let response_url =
        fields.get("response_url").filter(|u| !u.is_empty()).cloned().ok_or_else(|| FieldError::new("response_url", "is missing"))?;
    tokio::spawn(answer_later(state.clone(), command, response_url));
    Ok(SlackMessage { text: ack, blocks: vec![] })
}

/// What the immediate answer says while a slow command is being built.
fn working_on(command: &SlashCommand) -> String {
    match command {
        SlashCommand::Evidence { topic, window_days, .. } => {
            format!("Gathering the evidence for `{}` over {}…", escape(topic), crate::text::plural(u64::from(*window_days), "day"))
        }
        SlashCommand::Top { .. } => "Counting topics…".to_string(),
        SlashCommand::Digest => "Putting this week's digest together…".to_string(),
        SlashCommand::Review { .. } => "Putting the monthly review together…".to_string(),
        SlashCommand::Topics => "Listing topics…".to_string(),
        SlashCommand::Label => "Finding the items the model is least sure about…".to_string(),
        SlashCommand::Sources => "Reading where each source's sync stands…".to_string(),
        SlashCommand::Subscribe { topic, on, .. } => {
            format!(
                "{} this channel {} `{}`…",
                if *on { "Subscribing" } else { "Unsubscribing" },
                if *on { "to" } else { "from" },
                escape(topic)
            )
        }
        SlashCommand::Help | SlashCommand::Unknown { .. } | SlashCommand::Glossary { .. } => String::new(),
    }
}

/// Builds the real answer and sends it through `response_url`; a failure becomes an
/// ephemeral apology, never silence.
async fn answer_later(state: SlackState, command: SlashCommand, response_url: String) {
    let built = tokio::time::timeout(BUILD_TIMEOUT, build(&state.app, &command)).await;
    let (messages, in_channel) = match built {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => {
            tracing::error!(error = format!("{e:#}"), ?command, "slash command failed");
            (vec![apology("the data could not be read; please try again in a minute")], false)
        }
        Err(_) => (vec![apology("that took too long; try a shorter window")], false),
    };
    for message in messages.iter().take(MAX_RESPONSES) {
        respond(&state, &response_url, message, in_channel).await;
    }
}

async fn build(app: &AppState, command: &SlashCommand) -> anyhow::Result<(Vec<SlackMessage>, bool)> {
    Ok(match command {
        SlashCommand::Evidence { topic, window_days, share } => {
            // An unknown topic's suggestions stay private even with `share`.
            let in_channel = *share && app.classifier().rules.topic(topic).is_some();
            (vec![evidence::evidence_message(app, topic, *window_days, *share).await?], in_channel)
        }
        SlashCommand::Top { category, window_days } => (vec![top::top_message(app, *category, *window_days).await?], false),
        SlashCommand::Topics => (vec![top::topics_message(app).await?], false),
        SlashCommand::Label => (vec![label::queue_message(app).await?], false),
        SlashCommand::Sources => (vec![super::sources::sources_message(app).await?], false),
        SlashCommand::Subscribe { topic, on, channel, user } => {
            (vec![subscribe::subscribe_message(app, topic, *on, channel, user).await?], false)
        }
        SlashCommand::Review { month } => (vec![super::review::review_message(app, *month).await?], false),
        SlashCommand::Digest => {
            let week = app.settings.slack.schedule().unwrap_or_default().week_of(chrono::Utc::now());
            (digest::digest_messages(app, week).await?, false)
        }
        SlashCommand::Help | SlashCommand::Unknown { .. } | SlashCommand::Glossary { .. } => (vec![help::help_message()], false),
    })
}

/// The Events API request URL: `url_verification` is answered with its challenge, an
/// `event_callback` goes to `events::event` (once per `event_id`, however often Slack retries).
async fn events(State(state): State<SlackState>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    verify(&state, &headers, &body)?;
    let payload: serde_json::Value = serde_json::from_slice(&body).map_err(|e| FieldError::new("body", format!("is not JSON: {e}")))?;
    let retry = headers.get("x-slack-retry-num").and_then(|v| v.to_str().ok());
    Ok(match super::events::delivered(&state, &payload, retry).await? {
        Some(challenge) => axum::Json(json!({ "challenge": challenge })).into_response(),
        None => StatusCode::OK.into_response(),
    })
}

async fn interactions(State(state): State<SlackState>, headers: HeaderMap, body: Bytes) -> Result<StatusCode, AppError> {
    verify(&state, &headers, &body)?;
    let payload = form(&body).remove("payload").ok_or_else(|| FieldError::new("payload", "is missing"))?;
    let payload: serde_json::Value = serde_json::from_str(&payload).map_err(|e| FieldError::new("payload", format!("is not JSON: {e}")))?;
    interaction(&state, payload).map_err(|e| FieldError::new("payload", format!("is not a Slack interaction: {e}")))?;
    Ok(StatusCode::OK)
}

/// A button press however it arrived (signed HTTP request or Socket Mode envelope), as Slack's
/// JSON payload: each action is handled in the background, after the caller has acknowledged it.
pub fn interaction(state: &SlackState, payload: serde_json::Value) -> Result<(), serde_json::Error> {
    let trigger_id = payload["trigger_id"].as_str().map(str::to_string);
    let view = super::views::ViewRef::from_payload(&payload);
    let mut payload = payload;
    // The view is read above; slack-morphism's strict view types would refuse the whole click
    // over one block they do not know.
    if let Some(fields) = payload.as_object_mut() {
        fields.remove("view");
    }
    let event: SlackInteractionEvent = serde_json::from_value(payload)?;
    let SlackInteractionEvent::BlockActions(ev) = event else { return Ok(()) };
    let actor = Actor {
        user: ev.user.as_ref().map(|u| u.id.to_string()).unwrap_or_else(|| "unknown".into()),
        channel: ev.channel.as_ref().map(|c| c.id.to_string()).or_else(|| match &ev.container {
            SlackInteractionActionContainer::Message(m) => m.channel_id.as_ref().map(ToString::to_string),
            _ => None,
        }),
        response_url: ev.response_url.as_ref().map(|u| u.0.to_string()),
        message_ts: match &ev.container {
            SlackInteractionActionContainer::Message(m) if m.is_ephemeral != Some(true) => Some(m.message_ts.to_string()),
            _ => None,
        },
        trigger_id,
        view,
    };
    for action in ev.actions.unwrap_or_default() {
        tracing::info!(action = %action.action_id, user = %actor.user, "Slack button pressed");
        tokio::spawn(interactions::handle(state.clone(), actor.clone(), action.action_id.to_string(), action.value));
    }
    Ok(())
}
