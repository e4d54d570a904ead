//! `POST /webhooks/{source}`: authenticate on the raw body, parse the vendor payload, classify,
//! write through the group-commit writer, and answer only after the commit.

pub mod import;
pub mod signature;
pub mod sources;
pub mod trackers;

use crate::app::AppState;
use crate::classify::Classifier;
use crate::domain::{NewFeedback, Source, StoredItem};
use crate::error::AppError;
use crate::redact::redact;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;
use serde_json::json;
use sources::{ParseContext, Parsed};

/// Classifies parsed items (redacting first when configured), ready for the store.
pub fn prepare(items: Vec<NewFeedback>, classifier: &Classifier, redact_at_ingest: bool) -> Vec<StoredItem> {
    items
        .into_iter()
        .map(|mut item| {
            if redact_at_ingest {
                item.subject = redact(&item.subject);
                item.body = redact(&item.body);
            }
            let classification = classifier.classify(&item.subject, &item.body);
            StoredItem { item, classification }
        })
        .collect()
}

pub async fn receive_webhook(
    State(state): State<AppState>,
    Path(source): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let source: Source = match source.parse() {
        Ok(s) if s != Source::Csv => s,
        _ => {
            return Err(AppError::NotFound(format!(
                "no webhook source '{source}'; use one of zendesk, intercom, helpscout, stripe, freshdesk, generic"
            )));
        }
    };
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge { limit: state.settings.http.max_body_bytes }
        } else {
            AppError::BadRequest(crate::domain::FieldError::new("body", rejection.body_text()))
        }
    })?;
    let source_settings = state.settings.sources.get(source).cloned().unwrap_or_default();
    let Some(secret) = source_settings.secret() else {
        tracing::warn!(%source, setting = %source.secret_env_var(), "webhook refused: no secret configured for this source; set {}", source.secret_env_var());
        return Err(AppError::Unauthorized(format!("source {source} is not configured on this server")));
    };
    let now = chrono::Utc::now();
    let tolerance = state.settings.ingest.timestamp_tolerance_secs;
    signature::verify(source, &headers, &body, secret.expose_secret().as_bytes(), now.timestamp(), tolerance)?;

    let ctx = ParseContext { received_at: now, zendesk_subdomain: source_settings.subdomain.clone() };
    let items = match sources::parse(source, &headers, &body, &ctx)? {
        Parsed::Ignored(reason) => {
            state.metrics.items(source.as_str(), "ignored", 1);
            return Ok((StatusCode::OK, Json(json!({"ignored": reason}))).into_response());
        }
        Parsed::Items(items) => items,
    };
    let classifier = state.classifier();
    let prepared = prepare(items, &classifier, state.settings.ingest.redact_at_ingest);
    let external_ids: Vec<String> = prepared.iter().map(|s| s.item.external_id.clone()).collect();
    let written = state.writer.write(prepared).await?;
    for w in &written {
        state.metrics.items(source.as_str(), w.outcome.as_str(), 1);
    }
    let results: Vec<_> =
        written.iter().zip(&external_ids).map(|(w, ext)| json!({"external_id": ext, "id": w.id, "outcome": w.outcome})).collect();
    Ok((StatusCode::ACCEPTED, Json(json!({"stored": results.len(), "items": results}))).into_response())
}
