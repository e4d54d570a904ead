//! Fake vendor APIs on 127.0.0.1 for the pull connectors, each written to its vendor's
//! documentation: paging and cursors, 429s with the vendor's own headers, 5xx, malformed
//! pages, bad credentials, and each vendor's trap (Help Scout's expiring tokens and page
//! numbers over a changing set, Freshdesk's 300-page cap, Stripe's 30-day event expiry).
//! Every request is recorded; faults can be scripted for the next requests of the list endpoint.

pub mod freshdesk;
pub mod helpscout;
pub mod intercom;
pub mod stripe;
pub mod zendesk;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::sync::Mutex;

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub at: std::time::Instant,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: String,
}

impl Call {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the list endpoint does instead of answering, once per scripted fault.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer normally (to let earlier requests through before a fault).
    Pass,
    /// 429 with the vendor's own header asking for this many seconds.
    RateLimited(u64),
    /// A 5xx with an HTML error page, as load balancers send.
    ServerError(u16),
    /// 200 with a body that is not what the documentation describes.
    Malformed,
}

#[derive(Debug, Default)]
pub struct Recorder {
    calls: Mutex<Vec<Call>>,
    faults: Mutex<VecDeque<Fault>>,
}

impl Recorder {
    pub fn record(&self, path: &str, raw_query: Option<&str>, headers: &HeaderMap, body: &str) {
        let query = raw_query.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
        self.calls.lock().unwrap().push(Call {
            at: std::time::Instant::now(),
            path: path.to_string(),
            query,
            headers: headers.clone(),
            body: body.to_string(),
        });
    }

    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.faults.lock().unwrap().extend(faults);
    }

    pub fn next_fault(&self) -> Option<Fault> {
        self.faults.lock().unwrap().pop_front().filter(|f| *f != Fault::Pass)
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    pub fn calls_to(&self, path: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.path == path).collect()
    }
}

/// The common answers to a fault; `rate_limit_headers` are the vendor's own.
pub fn fault_response(fault: &Fault, rate_limit_headers: Vec<(&'static str, String)>, malformed_body: &'static str) -> Response {
    match fault {
        Fault::RateLimited(_) => {
            let mut r =
                (StatusCode::TOO_MANY_REQUESTS, [("content-type", "application/json")], r#"{"error": "TooManyRequests"}"#).into_response();
            for (k, v) in rate_limit_headers {
                r.headers_mut().insert(k, v.parse().unwrap());
            }
            r
        }
        Fault::ServerError(code) => (
            StatusCode::from_u16(*code).unwrap(),
            [("content-type", "text/html")],
            "<html><body><h1>503 Service Unavailable</h1></body></html>",
        )
            .into_response(),
        Fault::Malformed | Fault::Pass => (StatusCode::OK, [("content-type", "application/json")], malformed_body).into_response(),
    }
}

/// Serves `router` on 127.0.0.1 at a free port; returns the base URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a fake vendor");
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.expect("fake vendor serves") });
    base
}

pub fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// `Basic base64(user:password)` as it must arrive.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

pub fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
