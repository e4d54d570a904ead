//! Intercom's REST API as documented: `POST /conversations/search` (operators `=`, `!=`, `>`,
//! `<` and nested AND/OR; no `>=`), sorted, `pagination.per_page` up to 150 and
//! `starting_after` from `pages.next`; `GET /me`; `GET /contacts/{id}/companies`; Bearer
//! token and an `Intercom-Version` header; 429 with `X-RateLimit-Reset` (a unix time).
//! Conversations carry `conversation_rating` as the conversation model documents it: every
//! field null until the customer rates (`rating` 1-5, `remark`, `created_at`, `updated_at`,
//! `contact`, `teammate`); rating or re-rating moves the conversation's `updated_at`.

use super::{Fault, Recorder, fault_response, json_response, serve};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "ic-access-token";
pub const APP: &str = "abc123";

#[derive(Default)]
struct Data {
    conversations: HashMap<String, Value>,
    companies: HashMap<String, Value>,
}

pub struct FakeIntercom {
    pub base: String,
    pub recorder: Arc<Recorder>,
    data: Arc<Mutex<Data>>,
}

type Shared = (Arc<Recorder>, Arc<Mutex<Data>>);

/// A conversation as search returns it: HTML in the opening message, the contact by reference.
pub fn conversation(id: i64, updated_at: i64, body_html: &str, contact: &str) -> Value {
    json!({"type": "conversation", "id": id.to_string(), "created_at": updated_at - 600, "updated_at": updated_at, "state": "open",
        "source": {"type": "conversation", "id": format!("src{id}"), "delivered_as": "customer_initiated", "subject": "<p>Help</p>",
                   "body": body_html, "author": {"type": "user", "id": contact, "email": "pat@globex.com"}},
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": contact}]},
        "tags": {"type": "tag.list", "tags": []},
        "conversation_rating": {"rating": null, "remark": null, "created_at": null, "updated_at": null,
            "contact": {"type": null, "id": null}, "teammate": {"type": null, "id": null}}})
}

/// `conversation` rated by its contact at `at` (which also becomes its `updated_at`).
pub fn rated(mut conversation: Value, rating: i64, remark: Option<&str>, at: i64) -> Value {
    let contact = conversation["contacts"]["contacts"][0]["id"].clone();
    conversation["conversation_rating"] = json!({"rating": rating, "remark": remark, "created_at": at - 30, "updated_at": at,
        "contact": {"type": "contact", "id": contact}, "teammate": {"type": "admin", "id": "814860"}});
    conversation["updated_at"] = json!(at);
    conversation
}

impl FakeIntercom {
    pub async fn start() -> Self {
        let recorder = Arc::new(Recorder::default());
        let data = Arc::new(Mutex::new(Data::default()));
        let app = Router::new()
            .route("/conversations/search", post(search))
            .route("/me", get(me))
            .route("/contacts/{id}/companies", get(companies))
            .with_state((recorder.clone(), data.clone()));
        Self { base: serve(app).await, recorder, data }
    }

    pub fn put(&self, conversations: impl IntoIterator<Item = Value>) {
        let mut d = self.data.lock().unwrap();
        for c in conversations {
            d.conversations.insert(c["id"].as_str().unwrap().to_string(), c);
        }
    }

    /// `contact` belongs to this company.
    pub fn company(&self, contact: &str, company: Value) {
        self.data.lock().unwrap().companies.insert(contact.to_string(), company);
    }

    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.recorder.fail_next(faults);
    }
}

fn refused(headers: &HeaderMap) -> Option<Response> {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {TOKEN}")) {
        return Some(json_response(
            StatusCode::UNAUTHORIZED,
            json!({"type": "error.list", "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]}),
        ));
    }
    if headers.get("intercom-version").is_none() {
        return Some(json_response(
            StatusCode::BAD_REQUEST,
            json!({"type": "error.list", "errors": [{"code": "intercom_version_invalid", "message": "Intercom-Version header is required here"}]}),
        ));
    }
    None
}

/// Whether `c` satisfies a search query (field `updated_at` only, which is all pull asks).
fn matches(c: &Value, q: &Value) -> Result<bool, String> {
    let op = q["operator"].as_str().unwrap_or("");
    match op {
        "AND" | "OR" => {
            let parts = q["value"].as_array().ok_or("AND/OR need a list")?;
            let results = parts.iter().map(|p| matches(c, p)).collect::<Result<Vec<_>, _>>()?;
            Ok(if op == "AND" { results.iter().all(|r| *r) } else { results.iter().any(|r| *r) })
        }
        ">" | "<" | "=" | "!=" => {
            let (field, value) = (q["field"].as_str().unwrap_or(""), q["value"].as_i64().ok_or("value must be a number")?);
            let have = c[field].as_i64().ok_or(format!("unknown field {field}"))?;
            Ok(match op {
                ">" => have > value,
                "<" => have < value,
                "=" => have == value,
                _ => have != value,
            })
        }
        other => Err(format!("operator {other} is not supported")),
    }
}

fn key(c: &Value) -> (i64, String) {
    (c["updated_at"].as_i64().unwrap(), c["id"].as_str().unwrap().to_string())
}

async fn search(State((recorder, data)): State<Shared>, headers: HeaderMap, body: String) -> Response {
    recorder.record("/conversations/search", None, &headers, &body);
    if let Some(r) = refused(&headers) {
        return r;
    }
    if let Some(fault) = recorder.next_fault() {
        let reset = chrono::Utc::now().timestamp() + if let Fault::RateLimited(s) = fault { s as i64 } else { 0 };
        let limit = vec![
            ("x-ratelimit-limit", "166".to_string()),
            ("x-ratelimit-remaining", "0".to_string()),
            ("x-ratelimit-reset", reset.to_string()),
        ];
        return fault_response(&fault, limit, r#"{"type": "conversation.list", "conversations": {"oops": true}}"#);
    }
    let req: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let per_page = req["pagination"]["per_page"].as_u64().unwrap_or(20).min(150) as usize;
    let after = req["pagination"]["starting_after"].as_str().and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok());
    let after: Option<(i64, String)> = after.and_then(|b| serde_json::from_slice(&b).ok());
    let d = data.lock().unwrap();
    let mut hits = Vec::new();
    for c in d.conversations.values() {
        match matches(c, &req["query"]) {
            Ok(true) => hits.push(c.clone()),
            Ok(false) => {}
            Err(e) => {
                return json_response(
                    StatusCode::BAD_REQUEST,
                    json!({"type": "error.list", "errors": [{"code": "parameter_invalid", "message": e}]}),
                );
            }
        }
    }
    hits.sort_by_key(key);
    let total = hits.len();
    let rest: Vec<Value> = hits.into_iter().filter(|c| after.as_ref().is_none_or(|a| key(c) > *a)).collect();
    let page: Vec<Value> = rest.iter().take(per_page).cloned().collect();
    let mut pages = json!({"type": "pages", "page": 1, "per_page": per_page, "total_pages": total.div_ceil(per_page.max(1))});
    if rest.len() > per_page {
        let cursor = base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&key(page.last().unwrap())).unwrap());
        pages["next"] = json!({"page": 2, "starting_after": cursor});
    }
    json_response(StatusCode::OK, json!({"type": "conversation.list", "conversations": page, "total_count": total, "pages": pages}))
}

async fn me(State((recorder, _)): State<Shared>, headers: HeaderMap) -> Response {
    recorder.record("/me", None, &headers, "");
    if let Some(r) = refused(&headers) {
        return r;
    }
    json_response(
        StatusCode::OK,
        json!({"type": "admin", "id": "991", "email": "bot@acme.com", "app": {"type": "app", "id_code": APP, "name": "Acme"}}),
    )
}

async fn companies(State((recorder, data)): State<Shared>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    recorder.record(&format!("/contacts/{id}/companies"), None, &headers, "");
    if let Some(r) = refused(&headers) {
        return r;
    }
    match data.lock().unwrap().companies.get(&id) {
        Some(c) => json_response(
            StatusCode::OK,
            json!({"type": "list", "data": [c], "total_count": 1, "pages": {"type": "pages", "page": 1, "per_page": 50, "total_pages": 1}}),
        ),
        None => json_response(
            StatusCode::NOT_FOUND,
            json!({"type": "error.list", "errors": [{"code": "not_found", "message": "User Not Found"}]}),
        ),
    }
}
