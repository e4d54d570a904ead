//! `AppError`: the one place that picks HTTP status codes. 4xx answers name the problem;
//! 5xx answers show no internals. The error rides on the response so one middleware logs it.

use crate::domain::FieldError;
use crate::signing::AuthError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("invalid {}: {}", .0.field, .0.message)]
    BadRequest(FieldError),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<AuthError> for AppError {
    fn from(e: AuthError) -> Self {
        AppError::Unauthorized(e.to_string())
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::BadRequest(e)
    }
}

/// Carried in response extensions for the logging middleware.
#[derive(Clone)]
pub struct LoggedError(pub Arc<AppError>);

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            AppError::BadRequest(e) => json!({"error": e.message, "field": e.field}),
            AppError::Unavailable(_) => json!({"error": "database unavailable; retry later"}),
            AppError::Unexpected(_) => json!({"error": "internal error"}),
            other => json!({"error": other.to_string()}),
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert("retry-after", HeaderValue::from_static("5"));
        }
        response.extensions_mut().insert(LoggedError(Arc::new(self)));
        response
    }
}

/// Logs the error a handler returned, once, with its cause chain.
pub async fn log_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    if let Some(LoggedError(err)) = response.extensions().get::<LoggedError>() {
        let status = response.status();
        if status.is_server_error() {
            match err.as_ref() {
                AppError::Unexpected(inner) => {
                    tracing::error!(%path, %status, error = format!("{inner:#}"), "request failed")
                }
                other => tracing::warn!(%path, %status, error = %other, "request failed"),
            }
        } else {
            tracing::info!(%path, %status, error = %err, "request rejected");
        }
    }
    response
}
