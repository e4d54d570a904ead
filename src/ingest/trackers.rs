//! `POST /webhooks/github`, `/webhooks/jira`, `/webhooks/linear`: a linked issue was closed as
//! done, closed otherwise, or reopened. Verified on the raw body like the feedback webhooks
//! (401 forged or stale, 400 malformed with the field named); events for issues we did not
//! file are answered 200 and dropped; a redelivery changes nothing.

use crate::app::AppState;
use crate::config::trackers::secret;
use crate::domain::Tracker;
use crate::error::AppError;
use crate::trackers::webhook::{self, Event};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use serde_json::json;

pub async fn github(state: State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    receive(state, Tracker::Github, headers, body).await
}

pub async fn jira(state: State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    receive(state, Tracker::Jira, headers, body).await
}

pub async fn linear(state: State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    receive(state, Tracker::Linear, headers, body).await
}

async fn receive(State(state): State<AppState>, tracker: Tracker, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let t = &state.settings.trackers;
    let configured = match tracker {
        Tracker::Github => secret(&t.github.webhook_secret),
        Tracker::Jira => secret(&t.jira.webhook_secret),
        Tracker::Linear => secret(&t.linear.webhook_secret),
    };
    let Some(key) = configured else {
        let var = format!("PUSHBACK_TRACKERS__{}__WEBHOOK_SECRET", tracker.as_str().to_uppercase());
        tracing::warn!(%tracker, "{tracker} webhook refused: set {var}");
        return Err(AppError::Unauthorized(format!("{tracker} webhooks are not configured on this server")));
    };
    let now = chrono::Utc::now();
    webhook::verify(tracker, key.expose_secret().as_bytes(), &headers, &body, now)?;
    let (key, issue_state, at) = match webhook::parse(tracker, &headers, &body, now)? {
        Event::Ignored(reason) => return Ok((StatusCode::OK, Json(json!({"ignored": reason}))).into_response()),
        Event::State { key, state, at } => (key, state, at),
    };
    if state.store.issue_by_key(tracker, &key).await?.is_none() {
        return Ok((StatusCode::OK, Json(json!({"ignored": format!("{key} was not filed from an evidence pack")}))).into_response());
    }
    let changed = state.store.set_issue_state(tracker, &key, issue_state, at).await?;
    tracing::info!(%tracker, %key, state = issue_state.as_str(), changed, "tracker issue event");
    Ok((StatusCode::OK, Json(json!({"issue": key, "state": issue_state.as_str(), "changed": changed}))).into_response())
}
