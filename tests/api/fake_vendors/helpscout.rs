//! Help Scout's Mailbox API 2.0 as documented: `POST /v2/oauth2/token` (client credentials,
//! tokens that expire), `GET /v2/conversations` with `status`, `modifiedSince`, `sortField`,
//! `sortOrder`, `embed=threads` and page numbers (25 a page, HAL `_embedded` / `_links.next` /
//! `page`), 401 for an expired or unknown token, 429 with `X-RateLimit-Retry-After`. The set can
//! change between pages (an agent replies while a pass reads), as the real one does.

use super::{Fault, Recorder, fault_response, json_response, rfc3339, serve};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const APP_ID: &str = "hs-app-id";
pub const APP_SECRET: &str = "hs-app-secret";
const PAGE_SIZE: usize = 25;

#[derive(Default)]
struct Data {
    conversations: HashMap<i64, Value>,
    /// Valid tokens (expiry is simulated by `expire_tokens`).
    tokens: Vec<String>,
    issued: usize,
    /// After this many list pages served, move this conversation to this time.
    touch: Option<(usize, i64, i64)>,
    /// After this many list pages served, every token expires.
    expire_after: Option<usize>,
    pages_served: usize,
}

pub struct FakeHelpscout {
    pub base: String,
    pub recorder: Arc<Recorder>,
    data: Arc<Mutex<Data>>,
}

type Shared = (Arc<Recorder>, Arc<Mutex<Data>>);

pub fn conversation(id: i64, modified: i64, text: &str) -> Value {
    json!({"id": id, "number": 1000 + id, "type": "email", "status": "active", "state": "published", "subject": format!("Conversation {id}"),
        "preview": text, "mailboxId": 7, "createdAt": rfc3339(modified - 3600), "userUpdatedAt": rfc3339(modified),
        "primaryCustomer": {"id": 40 + id, "type": "customer", "email": "ann@initech.com"},
        "tags": [], "_embedded": {"threads": [{"id": 1, "type": "customer", "status": "active", "body": format!("<div>{text}</div>")}]},
        "_links": {"web": {"href": format!("https://secure.helpscout.net/conversation/{id}/{}/", 1000 + id)}}})
}

impl FakeHelpscout {
    pub async fn start() -> Self {
        let recorder = Arc::new(Recorder::default());
        let data = Arc::new(Mutex::new(Data::default()));
        let app = Router::new()
            .route("/v2/oauth2/token", post(token))
            .route("/v2/conversations", get(list))
            .with_state((recorder.clone(), data.clone()));
        Self { base: serve(app).await, recorder, data }
    }

    pub fn put(&self, conversations: impl IntoIterator<Item = Value>) {
        let mut d = self.data.lock().unwrap();
        for c in conversations {
            d.conversations.insert(c["id"].as_i64().unwrap(), c);
        }
    }

    /// Once `pages` list pages have been served, conversation `id` is modified at `at`.
    pub fn touch_after(&self, pages: usize, id: i64, at: i64) {
        self.data.lock().unwrap().touch = Some((pages, id, at));
    }

    pub fn expire_tokens_after(&self, pages: usize) {
        self.data.lock().unwrap().expire_after = Some(pages);
    }

    pub fn tokens_issued(&self) -> usize {
        self.data.lock().unwrap().issued
    }

    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.recorder.fail_next(faults);
    }
}

async fn token(State((recorder, data)): State<Shared>, headers: HeaderMap, body: String) -> Response {
    recorder.record("/v2/oauth2/token", None, &headers, "");
    let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    let ok = form.get("grant_type").map(String::as_str) == Some("client_credentials")
        && form.get("client_id").map(String::as_str) == Some(APP_ID)
        && form.get("client_secret").map(String::as_str) == Some(APP_SECRET);
    if !ok {
        return json_response(StatusCode::UNAUTHORIZED, json!({"error": "invalid_client", "error_description": "Bad client credentials"}));
    }
    let mut d = data.lock().unwrap();
    d.issued += 1;
    let token = format!("hs-token-{}", d.issued);
    d.tokens.push(token.clone());
    json_response(StatusCode::OK, json!({"token_type": "bearer", "access_token": token, "expires_in": 172800}))
}

fn modified(c: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(c["userUpdatedAt"].as_str().unwrap()).unwrap().timestamp()
}

async fn list(State((recorder, data)): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    recorder.record("/v2/conversations", raw.as_deref(), &headers, "");
    let call = recorder.calls().pop().unwrap();
    let mut d = data.lock().unwrap();
    let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    if !d.tokens.iter().any(|t| t == bearer) {
        return json_response(StatusCode::UNAUTHORIZED, json!({"error": "invalid_token", "error_description": "The access token expired"}));
    }
    if let Some(fault) = recorder.next_fault() {
        let wait = if let Fault::RateLimited(s) = fault { s } else { 0 };
        return fault_response(&fault, vec![("x-ratelimit-retry-after", wait.to_string())], r#"{"_embedded": {"conversations": "none"}}"#);
    }
    let since = call.param("modifiedSince").and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()).map_or(i64::MIN, |t| t.timestamp());
    let all_statuses = call.param("status") == Some("all");
    let page: usize = call.param("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let mut hits: Vec<Value> =
        d.conversations.values().filter(|c| modified(c) >= since && (all_statuses || c["status"] == "active")).cloned().collect();
    hits.sort_by_key(|c| (modified(c), c["id"].as_i64().unwrap()));
    let total = hits.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let slice: Vec<Value> = hits.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    let mut links = json!({"self": {"href": "…"}, "first": {"href": "…"}, "last": {"href": "…"}});
    if page < pages {
        links["next"] = json!({"href": format!("/v2/conversations?page={}", page + 1)});
    }
    d.pages_served += 1;
    if d.expire_after.is_some_and(|n| d.pages_served >= n) {
        d.tokens.clear();
        d.expire_after = None;
    }
    if let Some((after, id, at)) = d.touch {
        if d.pages_served >= after {
            if let Some(c) = d.conversations.get_mut(&id) {
                c["userUpdatedAt"] = json!(rfc3339(at));
                c["_embedded"]["threads"][0]["body"] = json!("<div>Edited: exports still time out after 30 seconds</div>");
            }
            d.touch = None;
        }
    }
    json_response(
        StatusCode::OK,
        json!({"_embedded": {"conversations": slice}, "_links": links, "page": {"size": PAGE_SIZE, "totalElements": total, "totalPages": pages, "number": page}}),
    )
}
