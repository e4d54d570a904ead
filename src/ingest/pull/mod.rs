//! Pull connectors: history and changes read from the vendors' APIs with a read-only
//! credential, for teams without a public URL (or with one, beside the webhooks).
//!
//! One pure module per vendor (`zendesk`, `intercom`, `helpscout`, `freshdesk`, `stripe`) turns
//! a cursor into the next request and a page of the vendor's JSON into `NewFeedback` values (with
//! the webhook parsers of `ingest::sources` where the API's shape matches) and the cursor that
//! follows. The shared parts sit beside them: `client` sends a request with the source's
//! credentials, waits as each vendor's rate-limit headers ask and backs off with jitter after
//! 5xx; `engine` runs a pass under the source's lease, classifying each page and committing it
//! with its cursor in one transaction through the store's item write path; `schedule` runs the
//! passes of `serve`; `accounts` refreshes ARR from Stripe and matches customers to accounts.

pub mod accounts;
pub mod client;
pub mod engine;
pub mod freshdesk;
pub mod helpscout;
pub mod intercom;
pub mod keyset;
pub mod schedule;
pub mod stripe;
pub mod zendesk;
pub mod zendesk_ratings;

use crate::config::{PullAccess, SourcesSettings};
use crate::domain::{NewFeedback, Source};
use chrono::{DateTime, Utc};
use client::FetchError;
use serde_json::Value;
use std::time::Duration;

pub use engine::{Outcome, PassOptions, Progress, Report, sync_source};

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PassError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Page(#[from] PageError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<crate::store::StoreError> for PassError {
    fn from(e: crate::store::StoreError) -> Self {
        PassError::Other(anyhow::Error::new(e))
    }
}

/// A request to a vendor's API: the connector builds it, `client` sends it with credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub post: bool,
    /// The full URL, query included.
    pub url: String,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
}

impl HttpRequest {
    pub fn get(url: String) -> Self {
        Self { post: false, url, body: None, headers: Vec::new() }
    }
}

/// What the vendor answered.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: ::http::HeaderMap,
    pub body: axum::body::Bytes,
}

/// Where a page leaves the pass.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// More pages follow; fetch the next with this cursor.
    More(Value),
    /// The pass is complete; the next pass starts from this cursor.
    Done(Value),
}

impl Step {
    pub fn cursor(&self) -> &Value {
        match self {
            Step::More(c) | Step::Done(c) => c,
        }
    }
}

/// A further request a page needs before it is stored (Intercom: a contact's company).
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// Answers are kept by key for the rest of the run.
    pub key: String,
    pub request: HttpRequest,
    /// The page's items the answer is for.
    pub items: Vec<usize>,
}

/// One page, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<NewFeedback>,
    /// (account id, email domain) pairs seen, for matching accounts to Stripe customers.
    pub domains: Vec<(String, String)>,
    /// Records that are not feedback or repeat one already taken in this pass.
    pub skipped: usize,
    /// The newest vendor update time on the page.
    pub position_at: Option<DateTime<Utc>>,
    pub next: Step,
    pub needs: Vec<Need>,
}

impl Page {
    pub fn new(next: Step) -> Self {
        Self { items: Vec::new(), domains: Vec::new(), skipped: 0, position_at: None, next, needs: Vec::new() }
    }
}

/// Why a page could not be used. The source stops with its position kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The answer is not what the vendor documents (bad JSON, a missing list or cursor).
    #[error("malformed page from the API: {0}")]
    Malformed(String),
    /// The vendor refused the request (a 4xx other than 401, 403 and 429).
    #[error("{status} from the API: {message}")]
    Refused { status: u16, message: String },
}

/// A vendor's pull API: pure functions of cursors and answers.
pub trait Connector: Send + Sync {
    fn source(&self) -> Source;
    /// The cursor of a first pass that reaches back to `since`.
    fn start(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> Value;
    /// A stored cursor as the next run should use it (Stripe: events older than 30 days are
    /// gone, so an old cursor falls back to the subscriptions list).
    fn resume(&self, cursor: Value, _now: DateTime<Utc>) -> Value {
        cursor
    }
    fn request(&self, cursor: &Value) -> Result<HttpRequest, PageError>;
    /// Reads the answer to `request(cursor)` (any status but 401, 403, 429 and 5xx).
    fn page(&self, cursor: &Value, answer: &Answer) -> Result<Page, PageError>;
    /// How long the vendor asks to wait after a 429, from its own header.
    fn rate_limit_wait(&self, headers: &::http::HeaderMap, now: DateTime<Utc>) -> Option<Duration>;
    /// What to check when the API answers 401 or 403.
    fn credentials_hint(&self) -> String;
    /// Fills in the answer to one of a page's `needs`.
    fn apply(&self, _page: &mut Page, _need: &Need, _answer: &Value) {}
}

/// The connector for `source` over `access`.
pub fn connector(access: &PullAccess) -> Box<dyn Connector> {
    match access.source {
        Source::Zendesk => Box::new(zendesk::Zendesk::new(access)),
        Source::Intercom => Box::new(intercom::Intercom::new(access)),
        Source::Helpscout => Box::new(helpscout::Helpscout::new(access)),
        Source::Freshdesk => Box::new(freshdesk::Freshdesk::new(access)),
        Source::Stripe | Source::Generic | Source::Typeform | Source::Csv => Box::new(stripe::Stripe::new(access)),
    }
}

/// The sources whose credentials are set.
pub fn configured(sources: &SourcesSettings) -> Vec<PullAccess> {
    crate::config::PULL_SOURCES.iter().filter_map(|s| sources.pull_access(*s).ok()).collect()
}

/// The JSON body of an answer, or why it is not JSON.
pub fn json_body(answer: &Answer) -> Result<Value, PageError> {
    serde_json::from_slice(&answer.body).map_err(|e| PageError::Malformed(format!("not JSON ({e})")))
}

/// A refusal's message as the vendor words it (`error`, `message`, `description`, `errors[0]`).
pub fn refusal(answer: &Answer) -> PageError {
    let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    let pick = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(_) => ["message", "error_description", "description", "error"]
                .iter()
                .find_map(|k| v.get(*k).and_then(Value::as_str))
                .map(str::to_string),
            _ => None,
        }
    };
    let message = pick(&body)
        .or_else(|| body.get("error").and_then(pick))
        .or_else(|| body.get("errors").and_then(|e| e.get(0)).and_then(pick))
        .unwrap_or_else(|| String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)]).into_owned());
    PageError::Refused { status: answer.status, message }
}

/// A `Retry-After` (or similar) header in whole seconds.
pub fn seconds_header(headers: &::http::HeaderMap, name: &str) -> Option<Duration> {
    let value = headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok()?;
    (value.is_finite() && value >= 0.0).then(|| Duration::from_secs_f64(value))
}

/// A cursor field as a time (unix seconds).
pub fn cursor_time(cursor: &Value, field: &str) -> Option<DateTime<Utc>> {
    cursor.get(field).and_then(Value::as_i64).and_then(|t| DateTime::from_timestamp(t, 0))
}

/// The newest of two optional times.
pub fn later(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Answer {
        Answer { status, headers: ::http::HeaderMap::new(), body: axum::body::Bytes::from(body.to_string()) }
    }

    #[test]
    fn refusals_carry_the_vendors_own_words() {
        let msg = |a: &Answer| refusal(a).to_string();
        assert_eq!(msg(&answer(400, r#"{"error": "InvalidCursor"}"#)), "400 from the API: InvalidCursor");
        assert_eq!(msg(&answer(400, r#"{"error": {"message": "No such subscription"}}"#)), "400 from the API: No such subscription");
        assert_eq!(
            msg(&answer(400, r#"{"description": "Validation failed", "errors": [{"field": "page"}]}"#)),
            "400 from the API: Validation failed"
        );
        assert_eq!(msg(&answer(404, "Not Found")), "404 from the API: Not Found");
    }

    #[test]
    fn wait_headers_are_seconds() {
        let mut h = ::http::HeaderMap::new();
        h.insert("retry-after", "3".parse().unwrap());
        assert_eq!(seconds_header(&h, "retry-after"), Some(Duration::from_secs(3)));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(seconds_header(&h, "retry-after"), None);
    }
}
