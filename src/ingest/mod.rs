//! `POST /webhooks/{source}`: authenticate on the raw body, parse the vendor payload, classify,
//! write through the group-commit writer, and answer only after the commit.

pub mod import;
pub mod pull;
pub mod signature;
pub mod sources;
pub mod trackers;

use crate::alerts;
use crate::app::AppState;
use crate::classify::Classifier;
use crate::domain::{NewFeedback, Source, StoredItem};
use crate::error::AppError;
use crate::redact::redact;
use crate::store::WriteOutcome;
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

/// Outbox rows for the urgent items (churn notes about speed or breakage), to be queued in
/// the items' own transaction. The owner channels are read only when there is something to say.
async fn churn_alerts(state: &AppState, items: &[StoredItem]) -> Result<Vec<crate::store::NewOutboxMessage>, AppError> {
    if !items.iter().any(alerts::is_urgent) {
        return Ok(Vec::new());
    }
    let rules = &state.classifier().rules;
    let owners = alerts::Owners::load(&state.store, rules, state.settings.alerts.fallback_channel()).await?;
    Ok(alerts::churn_rows(items, rules, &owners))
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
                "no webhook source '{source}'; use one of zendesk, intercom, helpscout, stripe, freshdesk, generic, typeform"
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

    let survey_form = sources::typeform::SurveyForm {
        score_field: source_settings.score_field.clone(),
        comment_field: source_settings.comment_field.clone(),
        survey: source_settings.survey.clone(),
    };
    let ctx = ParseContext { received_at: now, zendesk_subdomain: source_settings.subdomain.clone(), survey_form };
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
    let counted: Vec<_> = prepared.iter().map(|s| (s.item.kind, s.classification.clone(), s.item.lost_arr_cents)).collect();
    let alerts = churn_alerts(&state, &prepared).await?;
    let queued = !alerts.is_empty();
    let written = state.writer.write_with_outbox(prepared, alerts).await?;
    if queued {
        state.outbox_wake.notify_one();
    }
    for (w, (kind, classification, lost)) in written.iter().zip(&counted) {
        state.metrics.items(source.as_str(), w.outcome.as_str(), 1);
        if w.outcome == WriteOutcome::Inserted {
            state.metrics.stored(source.as_str(), *kind, classification, *lost);
        }
    }
    let results: Vec<_> =
        written.iter().zip(&external_ids).map(|(w, ext)| json!({"external_id": ext, "id": w.id, "outcome": w.outcome})).collect();
    Ok((StatusCode::ACCEPTED, Json(json!({"stored": results.len(), "items": results}))).into_response())
}
